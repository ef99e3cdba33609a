package io.kubenexus.scheduler.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PersistentArrayTest {

    @Test
    void behavesLikeAnArrayUnderRandomWritesAndKeepsOldVersionsIntact() {
        Random random = new Random(42);
        String[] model = new String[5000];
        PersistentArray<String> array = PersistentArray.empty();
        PersistentArray<String> checkpoint = null;
        String[] checkpointModel = null;
        for (int i = 0; i < 20_000; i++) {
            int index = random.nextInt(model.length);
            String value = random.nextInt(10) == 0 ? null : "v" + i;
            model[index] = value;
            array = array.with(index, value);
            if (i == 10_000) {
                checkpoint = array;
                checkpointModel = model.clone();
            }
        }
        for (int i = 0; i < model.length; i++) {
            assertThat(array.get(i)).as("index %d", i).isEqualTo(model[i]);
            assertThat(checkpoint.get(i)).as("old version at %d", i).isEqualTo(checkpointModel[i]);
        }
    }

    @Test
    void readsOutsideTheCapacityAreEmpty() {
        PersistentArray<String> array = PersistentArray.<String>empty().with(3, "x");
        assertThat(array.get(-1)).isNull();
        assertThat(array.get(1 << 20)).isNull();
        assertThat(array.get(3)).isEqualTo("x");
    }

    @Test
    void growsPastOneLevel() {
        PersistentArray<Integer> array = PersistentArray.empty();
        array = array.with(0, 0).with(100_000, 100_000);
        assertThat(array.capacity()).isGreaterThan(100_000);
        assertThat(array.get(0)).isZero();
        assertThat(array.get(100_000)).isEqualTo(100_000);
        assertThat(array.get(99_999)).isNull();
    }
}
