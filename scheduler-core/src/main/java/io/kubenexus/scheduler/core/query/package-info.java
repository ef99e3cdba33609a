/**
 * Answers the scheduling loop gives to other threads: the kube-scheduler extender's verbs (filter,
 * prioritize, bind, preempt) and the pending-pod explanations behind {@code /debug/explain}. Plain
 * values, computed on the loop thread against the live state and handed over in a
 * {@link java.util.concurrent.CompletableFuture}.
 */
package io.kubenexus.scheduler.core.query;
