package io.kubenexus.scheduler.app;

import io.kubenexus.scheduler.app.config.ConfigException;
import io.kubenexus.scheduler.app.config.SchedulerConfig;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.sim.Simulation;
import io.kubenexus.scheduler.sim.SimulationInputs;
import io.kubenexus.scheduler.sim.WhatIf;
import io.kubenexus.scheduler.sim.importer.ImportException;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import io.kubenexus.scheduler.sim.policy.Policy;
import io.kubenexus.scheduler.sim.replay.ReplayPlan;
import io.kubenexus.scheduler.sim.report.HtmlReport;
import io.kubenexus.scheduler.sim.report.JsonReport;
import io.kubenexus.scheduler.sim.report.SimulationReport;
import io.kubenexus.scheduler.sim.report.TextReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kubenexus-scheduler simulate}: replays a workload on a cluster in virtual time through the
 * scheduler's own loop and plugins (the simulator module), with baselines and a what-if beside our
 * default, and reports. The scheduler's configuration ({@code --config}) is read exactly as {@code run}
 * reads it. Exit codes: 0 done, 2 bad usage or input (the message names the file, line and field).
 */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = KubenexusScheduler.Version.class,
        description = {
            "Replay a workload on a cluster in virtual time, in process (no API server), through the scheduler's "
                    + "own queue, plugins, gang and NUMA logic, and report GPU allocation, failed tasks, gang waits "
                    + "and decisions per second (docs/simulation.md).",
            "Inputs: the Alibaba GPU trace's CSV files (openb_node_list_*.csv, openb_pod_list_*.csv) or the "
                    + "simulator's YAML/JSON format."})
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--cluster", paramLabel = "FILE", required = true,
            description = "Nodes: a trace node list (.csv) or a YAML/JSON file with 'nodes'.")
    Path cluster;

    @Option(names = "--workload", paramLabel = "FILE", required = true,
            description = "Pods: a trace pod list (.csv) or a YAML/JSON file with 'pods', 'gangs', 'sparkApps'.")
    Path workload;

    @Option(names = "--replay", paramLabel = "MODE", defaultValue = "trace",
            description = "trace: the workload's own arrival and departure times; inflate: tasks drawn at random "
                    + "(--seed), none departing, until their GPU demand reaches --load of the cluster's GPUs "
                    + "(default: ${DEFAULT-VALUE}).")
    String replay;

    @Option(names = "--load", paramLabel = "SHARE", defaultValue = "1.0",
            description = "inflate: arrived GPU demand to reach, as a share of the cluster's GPUs (default: ${DEFAULT-VALUE}).")
    double load;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the inflating replay's draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = Policy.DEFAULT,
            description = "The policy to replay: default (the shipped configuration, or --config), LeastAllocated, "
                    + "MostAllocated or BestFitGpu (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The scheduler's YAML configuration (as for 'run'); it is the 'default' policy.")
    Path config;

    @Option(names = "--baselines", description = "Also replay LeastAllocated, MostAllocated and BestFitGpu, "
            + "with the same arrivals.")
    boolean baselines;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout.")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report as a self-contained HTML file.")
    Path report;

    @Option(names = "--add-nodes", paramLabel = "SPEC",
            description = "What-if: N:NODE (N copies of node NODE) or N:cpu=96,memory=512Gi,gpus=8,model=A100.")
    String addNodes;

    @Option(names = "--remove-nodes", paramLabel = "SELECTOR",
            description = "What-if: remove the nodes matching a label selector (key=value,key!=value,key; "
                    + "name=NODE), or only the first N with N:SELECTOR.")
    String removeNodes;

    @Option(names = "--strategy", paramLabel = "NAME",
            description = "What-if: NodeResourcesFit scoring LeastAllocated or MostAllocated.")
    String strategy;

    @Option(names = "--resource-weight", paramLabel = "RESOURCE=W",
            description = "What-if: a NodeResourcesFit resource weight, e.g. nvidia.com/gpu=5 (repeatable).")
    Map<String, Integer> resourceWeights = new LinkedHashMap<>();

    @Option(names = "--plugin-weight", paramLabel = "PLUGIN=W",
            description = "What-if: a score plugin's weight, e.g. NodeResourcesFit=2 (repeatable; 0 turns it off).")
    Map<String, Integer> pluginWeights = new LinkedHashMap<>();

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "0",
            description = "Replays run at once (default: the machine's cores).")
    int parallelism;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    SimulateCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public Integer call() {
        SimulationReport result;
        try {
            SchedulerConfig settings = config == null ? SchedulerConfig.defaults(env) : SchedulerConfig.load(config, env);
            Policy base = Policy.of(Policy.DEFAULT, settings.settings(), settings.gang(), settings.numa());
            List<Policy> policies = policies(base);
            WhatIf whatIf = new WhatIf(addNodes, removeNodes, strategy(), resourceWeights, checkedPlugins());
            SimCluster nodes = SimulationInputs.cluster(cluster);
            SimWorkload pods = SimulationInputs.workload(workload, nodes, settings.schedulerName());
            ReplayPlan plan = switch (ReplayPlan.ReplayMode.fromApiName(replay)) {
                case TRACE -> ReplayPlan.trace(pods);
                case INFLATE -> ReplayPlan.inflate(pods, nodes, load, seed);
            };
            int threads = parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
            result = Simulation.run(nodes, pods, plan, load, seed, policies, whatIf, threads);
        } catch (ConfigException | ImportException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return KubenexusScheduler.EXIT_USAGE;
        }
        if (report != null) {
            try {
                Files.writeString(report, HtmlReport.render(result), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("error: --report: cannot write " + report + ": " + e.getMessage());
                return KubenexusScheduler.EXIT_FAILURE;
            }
        }
        if (json) {
            out.println(JsonReport.render(result));
        } else {
            out.print(TextReport.render(result));
            if (report != null) {
                out.println("report: " + report);
            }
        }
        out.flush();
        return KubenexusScheduler.EXIT_OK;
    }

    private List<Policy> policies(Policy base) {
        List<Policy> out = new ArrayList<>();
        out.add(Policy.DEFAULT.equals(policy) ? base : Policy.baseline(policy, base));
        if (baselines) {
            for (String name : Policy.BASELINES) {
                if (!name.equals(policy)) {
                    out.add(Policy.baseline(name, base));
                }
            }
        }
        return out;
    }

    private ScoringStrategy strategy() {
        if (strategy == null) {
            return null;
        }
        return switch (strategy) {
            case Policy.LEAST_ALLOCATED -> ScoringStrategy.LEAST_ALLOCATED;
            case Policy.MOST_ALLOCATED -> ScoringStrategy.MOST_ALLOCATED;
            default -> throw new IllegalArgumentException("--strategy: unknown value '" + strategy
                    + "' (expected LeastAllocated or MostAllocated)");
        };
    }

    /** The same names a configuration file may weigh (scoring.pluginWeights). */
    private Map<String, Integer> checkedPlugins() {
        for (String name : pluginWeights.keySet()) {
            if (!SchedulingProfile.DEFAULT_SCORE_PLUGINS.contains(name)) {
                throw new IllegalArgumentException("--plugin-weight: unknown plugin '" + name + "' (known: "
                        + String.join(", ", SchedulingProfile.DEFAULT_SCORE_PLUGINS) + ")");
            }
        }
        return pluginWeights;
    }
}
