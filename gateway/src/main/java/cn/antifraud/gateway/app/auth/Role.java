package cn.antifraud.gateway.app.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do. The table is the documented one (README, "Roles"):
 *
 * <pre>
 *                      reader  registrar  police  admin
 * read numbers/lists     x        x         x       x
 * fraud numbers, import           x         x       x
 * family contacts                 x                 x
 * warning numbers                           x       x
 * send/read warnings                        x       x
 * read the audit log                                x
 * </pre>
 *
 * Warning numbers (反诈名片) are registered and revoked by the anti-fraud centres (police); family
 * contacts carry a subscriber's consent and are kept by the carrier's registrars.
 */
public enum Role {
    READER(EnumSet.of(Permission.READ)),
    REGISTRAR(EnumSet.of(Permission.READ, Permission.WRITE_FRAUD_NUMBERS, Permission.WRITE_FAMILY_CONTACTS)),
    POLICE(EnumSet.of(Permission.READ, Permission.WRITE_FRAUD_NUMBERS, Permission.WRITE_WARNING_NUMBERS,
            Permission.SEND_WARNINGS)),
    ADMIN(EnumSet.allOf(Permission.class));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    public boolean permits(Permission permission) {
        return permissions.contains(permission);
    }

    /** The name in config files and the API ({@code reader}, ...). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted roles */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.code().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("must be one of reader, registrar, police, admin, got '" + s + "'");
    }
}
