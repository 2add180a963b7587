package io.steerguard.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --key value} options and {@code --flag} switches of the model commands. Unknown or
 * incomplete options are usage errors ({@link IllegalArgumentException}).
 */
final class CliOptions {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    CliOptions(String[] args, Set<String> valued, Set<String> switches) {
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key != null && switches.contains(key)) {
                flags.add(key);
            } else if (key != null && valued.contains(key) && i + 1 < args.length) {
                if (values.put(key, args[++i]) != null) {
                    throw new IllegalArgumentException("--" + key + " given twice");
                }
            } else {
                throw new IllegalArgumentException("unknown or incomplete option " + args[i]);
            }
        }
    }

    String get(String key) {
        return values.get(key);
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    String require(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    boolean has(String key) {
        return flags.contains(key) || values.containsKey(key);
    }

    int integer(String key, int fallback, int min) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + " must be an integer >= " + min + ", got '" + v + "'");
    }

    double decimal(String key, double fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + " must be a finite number, got '" + v + "'");
    }

    /**
     * A layer list: {@code all} (every layer of the model) or comma-separated 0-based layers, each
     * within {@code 0..numLayers-1}; sorted, without duplicates.
     */
    static List<Integer> layers(String spec, int numLayers, String option) {
        if (spec.strip().equals("all")) {
            List<Integer> all = new ArrayList<>();
            for (int l = 0; l < numLayers; l++) {
                all.add(l);
            }
            return all;
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : spec.split(",")) {
            int layer;
            try {
                layer = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + option + " must be 'all' or comma-separated layers, got '"
                        + spec + "'");
            }
            if (layer < 0 || layer >= numLayers) {
                throw new IllegalArgumentException("--" + option + ": layer " + layer + " is out of range, the model has "
                        + numLayers + " layers (0.." + (numLayers - 1) + ")");
            }
            out.add(layer);
        }
        return List.copyOf(out);
    }
}
