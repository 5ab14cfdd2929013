package io.tokenbroker.packaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Kubernetes objects of one {@code helm template} run. */
record Manifests(List<Map<String, Object>> objects) {

	static Manifests parse(String rendered) {
		return new Manifests(Yamls.loadAll(rendered));
	}

	List<String> kinds() {
		return this.objects.stream().map((o) -> (String) o.get("kind")).toList();
	}

	boolean has(String kind) {
		return kinds().contains(kind);
	}

	/** The only object of this kind; fails when there is none or more than one. */
	Map<String, Object> one(String kind) {
		List<Map<String, Object>> found = this.objects.stream().filter((o) -> kind.equals(o.get("kind"))).toList();
		if (found.size() != 1) {
			throw new AssertionError("Expected one " + kind + " but found " + found.size() + " among " + kinds());
		}
		return found.get(0);
	}

	Map<String, Object> podSpec() {
		return Yamls.mapAt(one("Deployment"), "spec", "template", "spec");
	}

	Map<String, Object> container() {
		List<Object> containers = Yamls.listAt(podSpec(), "containers");
		if (containers.size() != 1) {
			throw new AssertionError("Expected one container: " + containers);
		}
		return Yamls.map(containers.get(0));
	}

	/** name -> value of the container's plain {@code env} entries. */
	Map<String, Object> env() {
		Map<String, Object> env = new LinkedHashMap<>();
		for (Object entry : Yamls.listAt(container(), "env")) {
			Map<String, Object> variable = Yamls.map(entry);
			env.put((String) variable.get("name"), variable.get("value"));
		}
		return env;
	}

}
