package cn.antifraud.gateway.sip.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension really tracks every buffer for its test, and only for it. */
class ParanoidLeakDetectionTest {

    @Test
    @ExtendWith(ParanoidLeakDetection.class)
    void everyBufferIsTrackedInsideATestThatAsksForIt() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
        for (int i = 0; i < 10; i++) {
            ByteBuf b = ByteBufAllocator.DEFAULT.buffer(16);
            try {
                // Paranoid wraps every allocated buffer in Netty's leak-aware buffer.
                assertTrue(b.getClass().getSimpleName().contains("LeakAware"), b.getClass().getName());
            } finally {
                b.release();
            }
        }
    }

    @Test
    void otherTestsRunAtTheDefaultSampledLevel() {
        assertNotEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
    }
}
