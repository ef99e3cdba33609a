package io.kubenexus.scheduler.extender.protocol;

import static io.kubenexus.scheduler.extender.protocol.NodeListFixture.podJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A decoder that answers a {@code NodeNames} array byte-for-byte equal to the last one with the last
 * candidates must decode every request exactly as a fresh decoder does: same names, same index per
 * name, same 400s. Random sequences of requests over a few name lists: repeats, prefixes and
 * extensions of the last array, other spacing, escapes, the array before or after the pod, invalid
 * elements, nulls, and trailing bytes.
 */
class ExtenderRequestDecoderReuseTest {

    @Test
    void reusedNamesEqualAFreshDecode() {
        ObjectMapper mapper = new ObjectMapper();
        ExtenderRequestDecoder reusing = new ExtenderRequestDecoder(mapper);
        SplittableRandom random = new SplittableRandom(11);
        List<List<String>> lists = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            List<String> names = new ArrayList<>();
            int size = random.nextInt(0, 40);
            for (int i = 0; i < size; i++) {
                names.add("node-" + random.nextInt(30));
            }
            lists.add(names);
        }
        int reused = 0;
        CandidateNodes previous = null;
        for (int r = 0; r < 3_000; r++) {
            List<String> names = new ArrayList<>(lists.get(random.nextInt(lists.size())));
            switch (random.nextInt(8)) {
                case 0 -> names.add("node-" + random.nextInt(30));
                case 1 -> {
                    if (!names.isEmpty()) {
                        names.remove(names.size() - 1);
                    }
                }
                default -> { }
            }
            String array = array(names, random);
            String body = switch (random.nextInt(6)) {
                case 0 -> "{\"NodeNames\":" + array + ",\"Pod\":" + podJson() + "}";
                case 1 -> "{\"Pod\":" + podJson() + ", \"NodeNames\" : " + array + " }";
                case 2 -> "{\"Pod\":" + podJson() + ",\"NodeNames\":" + array + "}x";
                case 3 -> "{\"Pod\":" + podJson() + ",\"NodeNames\":" + array.replace("]", ",\"\"]") + "}";
                case 4 -> "{\"Pod\":" + podJson() + ",\"NodeNames\":" + array.replace("]", ",7]") + "}";
                default -> "{\"Pod\":" + podJson() + ",\"NodeNames\":" + array + "}";
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Object fresh = decode(new ExtenderRequestDecoder(mapper), bytes);
            Object got = decode(reusing, bytes);
            if (fresh instanceof String error) {
                assertThat(got).as("request %d: %s", r, body).isEqualTo(error);
                continue;
            }
            CandidateNodes expected = (CandidateNodes) fresh;
            CandidateNodes actual = (CandidateNodes) got;
            assertThat(actual.names()).as("request %d: %s", r, body).containsExactlyElementsOf(expected.names());
            assertThat(actual.fullObjects()).isFalse();
            for (String name : expected.names()) {
                assertThat(actual.indexOf(name)).isEqualTo(expected.indexOf(name));
            }
            assertThat(actual.indexOf("node-absent")).isEqualTo(-1);
            if (actual == previous) {
                reused++;
            }
            previous = actual;
        }
        assertThat(reused).as("requests answered with the last candidates").isGreaterThan(150);
    }

    /** The array as JSON, spaced and escaped now and then (other bytes, same names). */
    private static String array(List<String> names, SplittableRandom random) {
        boolean spaced = random.nextInt(5) == 0;
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "" : spaced ? ", " : ",");
            String name = names.get(i);
            out.append('"').append(random.nextInt(200) == 0 ? name.replace("n", "\\u006e") : name).append('"');
        }
        return out.append(spaced ? " ]" : "]").toString();
    }

    /** The candidates, or the 400's message. */
    private static Object decode(ExtenderRequestDecoder decoder, byte[] body) {
        try {
            return decoder.extenderArgs(body).nodes();
        } catch (BadExtenderRequestException e) {
            return e.getMessage();
        }
    }
}
