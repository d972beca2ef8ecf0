package cn.antifraud.gateway.registry;

import java.util.List;

/**
 * One page of a listing in key order. {@code nextCursor} is passed back to get the next page and is
 * null on the last page.
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
