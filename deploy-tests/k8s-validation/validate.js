#!/usr/bin/env node
// Validate multi-document Kubernetes YAML (e.g. `kubectl kustomize` output) offline.
// Core kinds: JSON schemas in ./core (yannh-style *-standalone-strict, additionalProperties:false).
// CRD kinds: openAPIV3Schema taken from the CRD YAML files in ./crds/**, made strict the way
// kubeconform's openapi2jsonschema does (additionalProperties:false wherever `properties`
// is given and unknown fields are not explicitly preserved).
// Usage: node validate.js rendered.yaml [more.yaml ...]   (or '-' for stdin)
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const Ajv = require('ajv');

const ROOT = __dirname;
const CORE_DIR = path.join(ROOT, 'core');
const CRD_DIR = path.join(ROOT, 'crds');

// CRD patterns are Go RE2: translate a leading (?i) to the JS 'i' flag; accept (skip) any other
// pattern that JS cannot compile instead of crashing.
function re2(pattern, flags) {
  let p = pattern, f = flags || '';
  const m = /^(\^?)\(\?([is]+)\)/.exec(p); // e.g. ^(?i)(abort|warn)?$
  if (m) { p = m[1] + p.slice(m[0].length); f += m[2]; }
  try { return new RegExp(p, f); } catch (e) {
    console.error(`warn: pattern not checked (not valid in JS): ${pattern}`);
    return /(?:)/;
  }
}
re2.code = 'RegExp'; // only used for standalone code generation, which is not used here
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false,
  code: { regExp: re2 } });

// ---- core schemas: key "group/version|Kind" from x-kubernetes-group-version-kind
const schemas = new Map();
for (const f of fs.readdirSync(CORE_DIR).filter((n) => n.endsWith('.json'))) {
  const s = JSON.parse(fs.readFileSync(path.join(CORE_DIR, f), 'utf8'));
  delete s.$schema;
  for (const gvk of s['x-kubernetes-group-version-kind'] || []) {
    const av = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    schemas.set(`${av}|${gvk.kind}`, { file: f, schema: s });
  }
}

// ---- CRD schemas
function strictify(node) {
  if (Array.isArray(node)) { node.forEach(strictify); return node; }
  if (!node || typeof node !== 'object') return node;
  for (const v of Object.values(node)) strictify(v);
  if (node.properties && node.additionalProperties === undefined &&
      !node['x-kubernetes-preserve-unknown-fields']) {
    node.additionalProperties = false;
  }
  return node;
}
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}
for (const f of walk(CRD_DIR).filter((n) => /\.ya?ml$/.test(n))) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
    const crd = doc.toJS();
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    for (const v of crd.spec.versions || []) {
      if (!v.served) continue;
      const s = strictify(structuredClone(v.schema.openAPIV3Schema));
      s.properties = s.properties || {};
      s.properties.apiVersion = { type: 'string', enum: [`${crd.spec.group}/${v.name}`] };
      s.properties.kind = { type: 'string', enum: [crd.spec.names.kind] };
      s.properties.metadata = { type: 'object' }; // validated by the API server, not the CRD
      s.required = [...new Set([...(s.required || []), 'apiVersion', 'kind', 'metadata'])];
      schemas.set(`${crd.spec.group}/${v.name}|${crd.spec.names.kind}`,
        { file: path.relative(ROOT, f), schema: s });
    }
  }
}

// ---- validate
const compiled = new Map();
let passed = 0, failed = 0;
const inputs = process.argv.slice(2);
if (inputs.length === 0) { console.error('usage: validate.js FILE.yaml|- ...'); process.exit(2); }
for (const input of inputs) {
  const text = fs.readFileSync(input === '-' ? 0 : input, 'utf8');
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length) { failed++; console.log(`FAIL ${input}: YAML error ${doc.errors[0].message}`); continue; }
    const obj = doc.toJS();
    if (obj == null) continue;
    const id = `${obj.kind}/${obj.metadata && obj.metadata.name} (${obj.apiVersion})`;
    const key = `${obj.apiVersion}|${obj.kind}`;
    const entry = schemas.get(key);
    if (!entry) { failed++; console.log(`FAIL ${id}: no schema for ${key}`); continue; }
    if (!compiled.has(key)) compiled.set(key, ajv.compile(entry.schema));
    const validate = compiled.get(key);
    if (validate(obj)) { passed++; console.log(`ok   ${id}`); }
    else {
      failed++;
      console.log(`FAIL ${id} [${entry.file}]`);
      for (const e of validate.errors.slice(0, 10)) {
        const extra = e.params && e.params.additionalProperty ? ` '${e.params.additionalProperty}'` : '';
        console.log(`     ${e.instancePath || '/'} ${e.message}${extra}`);
      }
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
