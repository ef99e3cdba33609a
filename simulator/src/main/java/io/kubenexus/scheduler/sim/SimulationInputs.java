package io.kubenexus.scheduler.sim;

import io.kubenexus.scheduler.sim.importer.AlibabaTrace;
import io.kubenexus.scheduler.sim.importer.WorkloadFile;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import java.nio.file.Path;

/** Reads {@code --cluster} and {@code --workload}: the Alibaba trace's CSV files, or the YAML/JSON format. */
public final class SimulationInputs {
    private SimulationInputs() {
    }

    public static SimCluster cluster(Path file) {
        return AlibabaTrace.isCsv(file) ? AlibabaTrace.nodes(file) : WorkloadFile.cluster(file);
    }

    public static SimWorkload workload(Path file, SimCluster cluster, String schedulerName) {
        return AlibabaTrace.isCsv(file) ? AlibabaTrace.pods(file, cluster, schedulerName)
                : WorkloadFile.workload(file, cluster, schedulerName);
    }
}
