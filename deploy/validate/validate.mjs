#!/usr/bin/env node
// Validates Kubernetes manifests (multi-document YAML, e.g. `kubectl kustomize` output) against the
// Kubernetes OpenAPI schemas, offline. Usage: node validate.mjs [file ...]   (no file or "-": stdin)
// Prints one line per error, "<source>: <Kind>/<name>: <field path>: <problem>", and a summary.
// Exit code: 0 every object is valid, 1 an object is invalid (or has no schema, or there is none),
// 2 the input could not be read or parsed.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { findModel, kubernetesVersion, modelsVersion } from "./apis.mjs";
import { describe } from "./errors.mjs";

const sources = process.argv.slice(2);
if (sources.includes("-h") || sources.includes("--help")) {
  console.log("usage: node validate.mjs [file ...]   (reads stdin when no file or \"-\" is given)");
  process.exit(0);
}

let objects = 0;
let problems = 0;
const kinds = new Map();
for (const source of sources.length === 0 ? ["-"] : sources) {
  const label = source === "-" ? "<stdin>" : source;
  let text;
  try {
    text = readFileSync(source === "-" ? 0 : source, "utf8");
  } catch (error) {
    console.error(`${label}: cannot read: ${error.message}`);
    process.exit(2);
  }

  for (const [index, document] of parseAllDocuments(text, { version: "1.1" }).entries()) {
    // sigs.k8s.io/yaml (what kubectl uses) reads YAML 1.1, where an unquoted yes/no is a boolean.
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        console.error(`${label}: document ${index + 1}: YAML: ${error.message.split("\n")[0]}`);
      }

      process.exit(2);
    }

    const value = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) {
      continue;
    }

    for (const object of expandLists(value)) {
      objects++;
      const errors = await validateObject(object);
      const name = `${object?.kind ?? "<no kind>"}/${object?.metadata?.name ?? object?.metadata?.generateName ?? "<no name>"}`;
      kinds.set(`${object?.apiVersion} ${object?.kind}`, (kinds.get(`${object?.apiVersion} ${object?.kind}`) ?? 0) + 1);
      for (const error of errors) {
        problems++;
        console.error(`${label}: ${name}: ${error}`);
      }
    }
  }
}

const against = `Kubernetes ${kubernetesVersion} schemas (kubernetes-models ${modelsVersion})`;
if (objects === 0) {
  console.error(`no Kubernetes objects in the input: nothing was validated against ${against}`);
  process.exit(1);
}

if (problems > 0) {
  console.error(`${problems} error(s) in ${objects} object(s), validated against ${against}`);
  process.exit(1);
}

const summary = [...kinds].map(([kind, count]) => `${count} ${kind}`).join(", ");
console.log(`${objects} object(s) valid against ${against}: ${summary}`);

/** A v1 List stands for its items (`kubectl get -o yaml` writes one). */
function expandLists(value) {
  if (value?.apiVersion === "v1" && value?.kind === "List" && Array.isArray(value.items)) {
    return value.items;
  }

  return [value];
}

/** The problems of one object, each as "<field path>: <problem>". */
async function validateObject(object) {
  if (object === null || typeof object !== "object" || Array.isArray(object)) {
    return ["(document): must be a mapping with apiVersion, kind and metadata"];
  }

  const { model, reason } = await findModel(object.apiVersion, object.kind);
  if (model === undefined) {
    return [`apiVersion/kind: ${reason}`];
  }

  const errors = [];
  // The API server requires a name (or generateName); the OpenAPI schema leaves metadata optional.
  if (object.metadata?.name === undefined && object.metadata?.generateName === undefined) {
    errors.push("metadata.name: is required");
  }

  try {
    new model(object).validate();
  } catch (error) {
    if (!Array.isArray(error?.errors)) {
      throw error;
    }

    errors.push(...describe(error.errors, object));
  }

  return errors;
}
