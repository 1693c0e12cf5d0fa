package org.nmt4j.train.model;

import static org.nmt4j.core.model.FloatVectors.FLOATS;
import static org.nmt4j.core.model.FloatVectors.load;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Adam's update on Java's Vector API, as ND4J's Adam op computes it: {@code m = β1 m + (1 - β1) g},
 * {@code v = β2 v + (1 - β2) g²}, {@code g = α_t m / (√v + ε)}, where the caller gives
 * {@code α_t = lr √(1 - β2^(t+1)) / (1 - β1^(t+1))} for update {@code t} (0-based). Loading this class needs the JVM
 * option {@code --add-modules jdk.incubator.vector}.
 */
final class VectorAdamStep {

    private VectorAdamStep() {
    }

    /**
     * Updates the first {@code length} parameters of {@code g}, {@code m}, {@code v} in place. {@code 1 - β} is
     * rounded to float from double, as ND4J rounds it: {@code 1f - 0.999f} is 1.3e-5 away from 0.001.
     */
    static void update(float[] g, float[] m, float[] v, int length, double beta1, double beta2, float stepSize,
                       float epsilon) {
        float oneMinusBeta1 = (float) (1 - beta1);
        float oneMinusBeta2 = (float) (1 - beta2);
        int j = 0;
        for (; j + FLOATS.length() <= length; j += FLOATS.length()) {
            FloatVector gradient = load(g, j);
            FloatVector first = load(m, j).mul((float) beta1).add(gradient.mul(oneMinusBeta1));
            FloatVector second = load(v, j).mul((float) beta2).add(gradient.mul(gradient).mul(oneMinusBeta2));
            first.intoArray(m, j);
            second.intoArray(v, j);
            first.mul(stepSize).div(second.lanewise(VectorOperators.SQRT).add(epsilon)).intoArray(g, j);
        }
        for (; j < length; j++) {
            m[j] = (float) beta1 * m[j] + g[j] * oneMinusBeta1;
            v[j] = (float) beta2 * v[j] + g[j] * g[j] * oneMinusBeta2;
            g[j] = stepSize * m[j] / ((float) Math.sqrt(v[j]) + epsilon);
        }
    }
}
