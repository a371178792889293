// Which Kubernetes API objects the validator knows, and the schema for one apiVersion/kind.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

// kubernetes-models is generated from the Kubernetes OpenAPI spec; each release names the
// Kubernetes version it was generated from in its changelog. The validator states that version in
// every report, so a bump of the package must be matched here (the check below refuses otherwise).
const SCHEMA_RELEASES = { "4.5.1": "1.33.0" };

export const modelsVersion = require("kubernetes-models/package.json").version;
export const kubernetesVersion = SCHEMA_RELEASES[modelsVersion];
if (kubernetesVersion === undefined) {
  throw new Error(
    `kubernetes-models ${modelsVersion} is installed, but apis.mjs only knows the Kubernetes version of ` +
      `${Object.keys(SCHEMA_RELEASES).join(", ")}: add it to SCHEMA_RELEASES (see the package's CHANGELOG).`);
}

// The package merges the specs of old Kubernetes releases so it can still type removed APIs; a
// cluster of the target version no longer serves them. Only GA versions (v1, group/v2...) are
// accepted; these are the common pre-GA ones, named with what replaced them.
const REPLACED = {
  "extensions/v1beta1": "apps/v1 (workloads, removed in 1.16) or networking.k8s.io/v1 (Ingress, NetworkPolicy, removed in 1.22)",
  "apps/v1beta1": "apps/v1 (removed in 1.16)",
  "apps/v1beta2": "apps/v1 (removed in 1.16)",
  "networking.k8s.io/v1beta1": "networking.k8s.io/v1 (Ingress and IngressClass removed in 1.22)",
  "policy/v1beta1": "policy/v1 (PodDisruptionBudget removed in 1.25; PodSecurityPolicy removed for good)",
  "autoscaling/v2beta1": "autoscaling/v2 (removed in 1.25)",
  "autoscaling/v2beta2": "autoscaling/v2 (removed in 1.26)",
  "batch/v1beta1": "batch/v1 (CronJob removed in 1.25)",
  "rbac.authorization.k8s.io/v1beta1": "rbac.authorization.k8s.io/v1 (removed in 1.22)",
  "storage.k8s.io/v1beta1": "storage.k8s.io/v1 (removed in 1.22 and 1.27)",
};

const SEGMENT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const GA_VERSION = /^v[0-9]+$/;

/**
 * The model class for an apiVersion/kind of the target Kubernetes version, or a sentence saying why
 * there is none. Models live at kubernetes-models/<group>/<version>/<Kind> ("v1/<Kind>" for core).
 */
export async function findModel(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return { reason: "apiVersion and kind must both be strings" };
  }

  const parts = apiVersion.split("/");
  const version = parts[parts.length - 1];
  if (parts.length > 2 || !parts.every((p) => SEGMENT.test(p)) || !KIND.test(kind)) {
    return { reason: `"${apiVersion}" "${kind}" is not a well-formed apiVersion and kind` };
  }

  if (REPLACED[apiVersion] !== undefined) {
    return { reason: `${apiVersion} is not served by Kubernetes ${kubernetesVersion}: use ${REPLACED[apiVersion]}` };
  }

  if (!GA_VERSION.test(version)) {
    return { reason: `${apiVersion} is not a GA API version; pre-GA APIs are off by default in Kubernetes ${kubernetesVersion}` };
  }

  let module;
  try {
    module = await import(`kubernetes-models/${apiVersion}/${kind}`);
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND" || error?.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      return { reason: `no schema for ${apiVersion} ${kind} in Kubernetes ${kubernetesVersion}` };
    }

    throw error;
  }

  // Nested types (Container, PodSpec...) have models too, but no apiVersion/kind of their own.
  const model = module[kind];
  if (typeof model !== "function" || model.apiVersion !== apiVersion || model.kind !== kind) {
    return { reason: `no schema for ${apiVersion} ${kind} in Kubernetes ${kubernetesVersion}` };
  }

  return { model };
}
