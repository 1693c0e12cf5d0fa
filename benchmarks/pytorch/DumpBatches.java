import java.nio.file.Path;
import org.nmt4j.core.data.Batch;
import org.nmt4j.core.data.BatchIterator;
import org.nmt4j.core.data.BatchPlanner;
import org.nmt4j.core.data.LengthLimits;
import org.nmt4j.core.data.ParallelTextReader;
import org.nmt4j.core.data.TokenizedCorpus;
import org.nmt4j.core.text.SubwordTokenizer;

/**
 * Writes the first N batches nmt4j's TrainingThroughput uses with the default config (seed 1, 1500 tokens), in the
 * format of seq2seq_throughput.py --dump-batches: "rows sourceWidth targetWidth line,line,..." (0-based lines).
 * Usage: java -cp "$(cat nmt-serve/target/nmt.classpath)" benchmarks/pytorch/DumpBatches.java [n] [maxTokens]
 */
public class DumpBatches {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 45;
        int maxTokens = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
        Path spm = Path.of("data/bible/spm/spm.model");
        try (SubwordTokenizer src = SubwordTokenizer.load(spm); SubwordTokenizer tgt = SubwordTokenizer.load(spm);
             ParallelTextReader reader = ParallelTextReader.open(Path.of("data/bible/train.es"),
                     Path.of("data/bible/train.en"), new LengthLimits(2000, 250))) {
            TokenizedCorpus corpus = TokenizedCorpus.tokenize(reader, src, tgt, 120, 120);
            BatchIterator it = new BatchIterator(new BatchPlanner(corpus, maxTokens), tgt.specialIds(), 1);
            for (int i = 0; i < n; i++) {
                Batch b = it.next();
                StringBuilder lines = new StringBuilder();
                for (long l : b.lineIndices()) {
                    lines.append(lines.length() == 0 ? "" : ",").append(l);
                }
                System.out.println(b.size() + " " + b.source()[0].length + " " + b.targetInput()[0].length + " "
                        + lines);
            }
        }
    }
}
