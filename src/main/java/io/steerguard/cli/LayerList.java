package io.steerguard.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The {@code --layers} value of the model commands, checked against the loaded model. */
final class LayerList {

    private LayerList() {
    }

    /**
     * {@code all} (every layer of the model) or comma-separated 0-based layers, each within
     * {@code 0..numLayers-1}; sorted, without duplicates.
     *
     * @throws IllegalArgumentException naming {@code option} when the list is malformed or out of range
     */
    static List<Integer> parse(String spec, int numLayers, String option) {
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
                throw new IllegalArgumentException(option + " must be 'all' or comma-separated layers, got '" + spec + "'");
            }
            if (layer < 0 || layer >= numLayers) {
                throw new IllegalArgumentException(option + ": layer " + layer + " is out of range, the model has "
                        + numLayers + " layers (0.." + (numLayers - 1) + ")");
            }
            out.add(layer);
        }
        return List.copyOf(out);
    }
}
