package io.kubenexus.scheduler.kube.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RbacRequestTest {

    @ParameterizedTest(name = "{0} {1} -> {4} {2}/{3}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /api/v1/pods?resourceVersion=0                                   | ''                   | pods                   | list",
            "GET    | /api/v1/pods?allowWatchBookmarks=true&watch=true&timeoutSeconds=1 | ''                   | pods                   | watch",
            "GET    | /api/v1/namespaces/ns/pods/p                                     | ''                   | pods                   | get",
            "POST   | /api/v1/namespaces/ns/pods/p/binding                             | ''                   | pods/binding           | create",
            "POST   | /api/v1/namespaces/ns/bindings                                   | ''                   | bindings               | create",
            "PATCH  | /api/v1/namespaces/ns/pods/p/status                              | ''                   | pods/status            | patch",
            "GET    | /api/v1/nodes                                                    | ''                   | nodes                  | list",
            "PUT    | /apis/coordination.k8s.io/v1/namespaces/kube-system/leases/l     | coordination.k8s.io  | leases                 | update",
            "PATCH  | /apis/scheduling.x-k8s.io/v1alpha1/namespaces/ns/podgroups/g/status | scheduling.x-k8s.io | podgroups/status      | patch",
            "GET    | /apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies?limit=1 | topology.node.k8s.io | noderesourcetopologies | list",
            "DELETE | /api/v1/namespaces/ns/pods/p                                     | ''                   | pods                   | delete",
            "DELETE | /api/v1/namespaces/ns/pods                                       | ''                   | pods                   | deletecollection",
            "GET    | /api/v1/namespaces/ns                                            | ''                   | namespaces             | get",
    })
    void mapsRequestsAsTheApiServersAuthorizerDoes(String method, String uri, String group, String resource, String verb) {
        RbacRequest request = RbacRequest.of(method, URI.create(uri));
        assertThat(request.isResourceRequest()).isTrue();
        assertThat(request).extracting(RbacRequest::apiGroup, RbacRequest::resource, RbacRequest::verb)
                .containsExactly(group, resource, verb);
    }

    @ParameterizedTest
    @CsvSource({"GET,/version", "GET,/apis", "GET,/api", "GET,/apis/scheduling.x-k8s.io/v1alpha1"})
    void discoveryIsANonResourceRequest(String method, String uri) {
        assertThat(RbacRequest.of(method, URI.create(uri)).isResourceRequest()).isFalse();
    }
}
