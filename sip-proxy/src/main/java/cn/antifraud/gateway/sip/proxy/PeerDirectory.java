package cn.antifraud.gateway.sip.proxy;

import cn.antifraud.gateway.sip.TrustedPeer;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** Finds the trusted peer a source address belongs to: the first configured peer whose block contains it. */
public final class PeerDirectory {
    private final List<TrustedPeer> peers;

    public PeerDirectory(List<TrustedPeer> peers) {
        this.peers = List.copyOf(peers);
    }

    public Optional<TrustedPeer> classify(InetAddress source) {
        for (TrustedPeer p : peers) {
            if (p.addresses().contains(source)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
