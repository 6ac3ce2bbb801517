package dev.wagiservlet.filter;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;

/**
 * Works around a class loader leak of JDK 17 (JDK-8078641, fixed in JDK 18): a method handle keeps
 * the last handle its {@code asType} made in a strong field. The static handles of
 * {@link ObjectMethods}, which build the {@code equals}, {@code hashCode} and {@code toString} of
 * every record in the JVM, so keep the last record class built (and its components' classes)
 * reachable, and with it its class loader: after the webapp stops, that is often one of its own
 * records (e.g. the module cache's key), and the container reports the webapp as leaked. Building
 * those methods once more for classes of the JDK points the caches at the JDK's own classes.
 */
final class RecordMethodCaches {

    private RecordMethodCaches() {}

    /** Points ObjectMethods' asType caches at a JDK class; does nothing on JDK 18 and later, or if it cannot. */
    static void release() {
        if (Runtime.version().feature() >= 18) {
            return;
        }
        try {
            // String as the "record", its toString() as the one component: classes of the boot loader only.
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle component = lookup.findVirtual(String.class, "toString", MethodType.methodType(String.class));
            ObjectMethods.bootstrap(lookup, "equals", MethodType.methodType(boolean.class, String.class, Object.class), String.class, "s", component);
            ObjectMethods.bootstrap(lookup, "hashCode", MethodType.methodType(int.class, String.class), String.class, "s", component);
            ObjectMethods.bootstrap(lookup, "toString", MethodType.methodType(String.class, String.class), String.class, "s", component);
        } catch (Throwable e) {
            // only a workaround: the webapp's classes then go when the next record is built anywhere in the JVM
        }
    }
}
