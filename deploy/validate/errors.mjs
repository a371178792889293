// Turns the schema validator's (ajv's) errors into one line each: "<field path>: <problem>".

/**
 * Describes ajv errors for an object. Int-or-string and quantity fields are a oneOf of two types:
 * a failed oneOf is reported once, listing what the field may be, instead of once per branch.
 */
export function describe(errors, object) {
  const alternatives = new Map();
  for (const error of errors.filter((e) => e.keyword === "oneOf")) {
    alternatives.set(error.instancePath, []);
  }

  const lines = [];
  for (const error of errors) {
    const branch = alternatives.get(error.instancePath);
    if (branch !== undefined && error.keyword !== "oneOf") {
      branch.push(expectation(error));
      continue;
    }

    lines.push({ error, path: error.instancePath });
  }

  return lines.map(({ error, path }) => {
    if (error.keyword === "required") {
      return `${fieldPath(`${path}/${escape(error.params.missingProperty)}`, object)}: is required`;
    }

    const got = `(got ${show(valueAt(object, path))})`;
    if (error.keyword === "oneOf") {
      return `${fieldPath(path, object)}: must be ${[...new Set(alternatives.get(path))].join(" or ")} ${got}`;
    }

    return `${fieldPath(path, object)}: must be ${expectation(error)} ${got}`;
  });
}

function expectation(error) {
  switch (error.keyword) {
    case "type":
      return article(error.params.type);
    case "enum":
      return `one of ${error.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "format":
      return `a string in ${error.params.format} format`;
    case "required":
      return `an object with ${error.params.missingProperty}`;
    default:
      return `valid (${error.keyword} ${JSON.stringify(error.params)})`;
  }
}

function article(type) {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** "/spec/template/spec/containers/0/image" -> "spec.template.spec.containers[0].image". */
export function fieldPath(pointer, object) {
  const segments = pointer.split("/").slice(1).map(unescape);
  if (segments.length === 0) {
    return "(object)";
  }

  let text = "";
  let node = object;
  for (const segment of segments) {
    if (Array.isArray(node)) {
      text += `[${segment}]`;
    } else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) {
      text += text === "" ? segment : `.${segment}`;
    } else {
      text += `[${JSON.stringify(segment)}]`;
    }

    node = node?.[segment];
  }

  return text;
}

function valueAt(object, pointer) {
  let node = object;
  for (const segment of pointer.split("/").slice(1).map(unescape)) {
    node = node?.[segment];
  }

  return node;
}

function show(value) {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function escape(segment) {
  return String(segment).replaceAll("~", "~0").replaceAll("/", "~1");
}

function unescape(segment) {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}
