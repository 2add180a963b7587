/**
 * The shadow path and the paired statistics it feeds: sampling, the bounded mirror that replays a
 * request unsteered and classifies both answers, probes, windows, attribution, classifier-error
 * correction. Framework-free (it reports through {@link io.steerguard.shadow.MirrorObserver}); may
 * depend on {@code runtime}, {@code classifier}, {@code review}, {@code stats} and {@code csv}.
 */
package io.steerguard.shadow;
