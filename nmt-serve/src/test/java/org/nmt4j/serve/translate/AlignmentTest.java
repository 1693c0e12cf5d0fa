package org.nmt4j.serve.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlignmentTest {

    /** Source a b c + eos; four target pieces. */
    @Test
    void pharaohPairsTakeTheLargestWeightWithoutEos() {
        Alignment alignment = new Alignment(List.of("▁a", "▁b", "▁c", "</s>"), List.of("▁x", "▁y", "▁z", "▁w"),
                new float[][] {
                    {0.1f, 0.7f, 0.1f, 0.1f}, // 1-0
                    {0.2f, 0.1f, 0.3f, 0.4f}, // eos has the most weight: the largest other one, 2-1
                    {0.4f, 0.1f, 0.4f, 0.1f}, // a tie: the first, 0-2
                    {0f, 0f, 0f, 1f},         // all weight on eos (sparse attention): no pair
                });
        assertEquals("1-0 2-1 0-2", alignment.pharaoh());
    }

    @Test
    void anEmptyAlignmentHasNoPairs() {
        assertEquals("", Alignment.EMPTY.pharaoh());
    }
}
