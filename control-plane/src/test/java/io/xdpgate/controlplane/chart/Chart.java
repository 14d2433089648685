package io.xdpgate.controlplane.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The chart in helm/xdpgate, rendered in process by helm's own library (offline), and its
 * manifests read into Kubernetes' object model, strictly: a field the model does not know (a typo,
 * a wrong level) fails as the API server would refuse or, worse, ignore it.
 */
final class Chart {
    static final Path DIR = locate();
    static final String RELEASE = "xdpgate";
    static final String NAMESPACE = "kube-system";
    /** helm template's own default (1.20) is older than the chart allows. */
    static final String KUBE_VERSION = "1.31.0";
    private static final KubernetesSerialization K8S = new KubernetesSerialization();

    private Chart() {
    }

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("helm/xdpgate/Chart.yaml"))) {
                return p.resolve("helm/xdpgate");
            }
        }
        throw new IllegalStateException("helm/xdpgate/Chart.yaml not found above " + Path.of("").toAbsolutePath());
    }

    /** The manifests as `helm template` prints them, with these {@code --set} values. */
    static String render(Map<String, Object> values) {
        return render("", values);
    }

    /** With a values file too (lists and typed strings, which --set cannot say). */
    static String render(String valuesYaml, Map<String, Object> values) {
        TemplateCommand t = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        values.forEach(t::set);
        if (!valuesYaml.isEmpty()) {
            try {
                Path file = Files.createTempFile("xdpgate-values-", ".yaml");
                file.toFile().deleteOnExit();
                Files.writeString(file, valuesYaml);
                t.withValuesFile(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return t.call();
    }

    static List<HasMetadata> objects(Map<String, Object> values) {
        return objects("", values);
    }

    /** The rendered objects, each read strictly into its model class. */
    static List<HasMetadata> objects(String valuesYaml, Map<String, Object> values) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : render(valuesYaml, values).split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            HasMetadata o = K8S.unmarshal(doc);
            List<String> unknown = new ArrayList<>();
            unknownFields(o, o.getKind() + "/" + o.getMetadata().getName(), unknown);
            if (!unknown.isEmpty()) {
                throw new AssertionError("fields the Kubernetes model does not know: " + unknown + "\n" + doc);
            }
            out.add(o);
        }
        return out;
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", got " + found.size());
        }
        return found.get(0);
    }

    /**
     * Every model object keeps what it could not map in additionalProperties; a CRD's object
     * (GenericKubernetesResource) holds everything there and is checked by its own schema.
     */
    private static void unknownFields(Object o, String path, List<String> out) {
        if (o == null || o instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            return;
        }
        if (!o.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v;
            try {
                v = g.invoke(o);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(g.toString(), e);
            }
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + Arrays.toString(extra.keySet().toArray()));
                }
            } else {
                unknownFields(v, path + "." + g.getName().substring(3), out);
            }
        }
    }
}
