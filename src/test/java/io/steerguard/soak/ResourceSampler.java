package io.steerguard.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Live heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}) and open descriptors of a process. */
final class ResourceSampler {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private final long pid;

    ResourceSampler(long pid) {
        this.pid = pid;
    }

    long heapAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = USED.matcher(info);
        // the first "used" is the whole heap on every collector's output
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
    }

    long fds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
