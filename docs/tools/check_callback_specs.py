#!/usr/bin/env python3
"""Checks the callback spec files api-specs/callbacks/*.json against the reference catalog.

Usage: python3 docs/tools/check_callback_specs.py [api-specs dir] [live-callbacks.json]

It checks what the code generator will need and what the reference says, independently of the
generator (which is written elsewhere):
- every file is strict RFC 8259 JSON (no duplicate keys, no NaN), sits at callbacks/<callback>.json
  and has the keys of the format (docs: /work/wt/CALLBACK_FORMAT.md), with `reply` exactly for
  `before` callbacks;
- there is one file per event command of the reference (every command but the switch);
- every field of the reference entry (`Parent.Child`, `Parent[].Child` nesting included, except
  `CallbackCommand`) is declared, and no field is declared that the reference does not list at a
  level where it lists the members;
- every field uses the keys of the endpoint field format and a known type (primitive, `array` with
  `items`, `object` with `fields`, or a shared type of types/), and `accept` fits the type;
- every example body has the callback's CallbackCommand, and all its keys (recursively) are
  declared fields whose JSON kinds fit the declared type (with `accept`);
- names: explicit `rust_name`, valid Rust names (derived field names too), no clash between
  callbacks, inline object names, shared types and the endpoints' generated names;
- enums: a reference field with `values` typed by a shared enum lists only values of that enum
  (values the enum lacks are reported as warnings).
Exit status 1 if any error was found.
"""

import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SPECS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "api-specs")
REFERENCE = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/reference/live-callbacks.json"

INTS = {"i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"}
PRIMITIVES = INTS | {"string", "bool", "array", "object"}
TOP_KEYS = {"$schema", "callback", "rust_name", "title", "description", "doc_url", "kind", "body", "reply", "examples", "notes"}
REQUIRED_TOP = {"callback", "kind", "body", "title", "description", "doc_url"}
REPLY_KEYS = {"description", "on_timeout", "decisions", "pass_through", "fields"}
DECISION_KEYS = {"code", "rust", "description"}
PASS_KEYS = {"rust", "min", "max", "description"}
ITEM_KEYS = {"type", "fields", "type_name", "min_bytes", "max_bytes", "min", "max", "allowed"}
KEYWORDS = set("""as async await break const continue crate dyn else enum extern false fn for gen if impl in let loop
match mod move mut pub ref return self Self static struct super trait true type unsafe use where while abstract become
box do final macro override priv try typeof unsized virtual yield""".split())
ACCEPT = {"string": {"number", "bool"}, "bool": {"string", "number"}}
ACCEPT.update({t: {"string"} for t in INTS})

errors = []
warnings = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def warn(where, msg):
    warnings.append(f"{where}: {msg}")


def strict_load(path):
    def pairs(items):
        seen = {}
        for k, v in items:
            if k in seen:
                raise ValueError(f"duplicate key {k!r}")
            seen[k] = v
        return seen

    def bad_constant(name):
        raise ValueError(f"{name} is not JSON")

    with open(path, encoding="utf-8") as f:
        return json.loads(f.read(), object_pairs_hook=pairs, parse_constant=bad_constant)


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return "_".join(w.lower() for w in re.split(r"[_\-. ]+", s) if w)


def pascal(name):
    return "".join(w[:1].upper() + w[1:] for w in snake(name).split("_"))


def field_keys():
    schema = strict_load(os.path.join(SPECS, "spec.schema.json"))
    return set(schema["$defs"]["field"]["properties"].keys())


FIELD_KEYS = field_keys()

try:  # optional: the schema's own field rules (kinds per type, name patterns), when jsonschema is installed
    import jsonschema

    _schema = strict_load(os.path.join(SPECS, "spec.schema.json"))
    FIELD_VALIDATOR = jsonschema.Draft202012Validator({"$ref": "#/$defs/field", "$defs": _schema["$defs"]})
except ImportError:
    FIELD_VALIDATOR = None

# ---- shared types and the names the endpoint specs already generate -------------------------

shared = {}
for name in sorted(os.listdir(os.path.join(SPECS, "types"))):
    if name.endswith(".json"):
        t = strict_load(os.path.join(SPECS, "types", name))
        shared[t["name"]] = t

taken = {}  # generated name -> what generates it


def claim(name, owner, where):
    if name in taken and taken[name] != owner:
        err(where, f"the name `{name}` is already used by {taken[name]}")
    else:
        taken[name] = owner


def inline_names(fields, owner, source):
    """Claims the names of the inline objects of an endpoint or type field list."""
    for f in fields:
        items = f.get("items")
        obj = f if f.get("type") == "object" else items if isinstance(items, dict) and items.get("type") == "object" else None
        if obj is not None:
            name = obj.get("type_name") or f.get("type_name") or owner + pascal(f["wire"])
            claim(name, source, source)
            inline_names(obj.get("fields", []), name, source)


for tname, t in shared.items():
    claim(tname, f"types/{tname}.json", f"types/{tname}.json")
    inline_names(t.get("fields", []), tname, f"types/{tname}.json")

for dirpath, dirnames, filenames in os.walk(SPECS):
    rel = os.path.relpath(dirpath, SPECS)
    top = rel.split(os.sep)[0]
    if rel == "." or top in ("types", "errors", "callbacks"):
        continue
    for fn in sorted(filenames):
        if not fn.endswith(".json"):
            continue
        e = strict_load(os.path.join(dirpath, fn))
        src = f"{rel}/{fn}"
        name = e.get("rust_name") or pascal(e["command"])
        for n in (name, name + "Response", name + "Code"):
            claim(n, src, src)
        inline_names(e.get("request", []), name, src)
        inline_names(e.get("response", []), name + "Response", src)
for fn in sorted(os.listdir(os.path.join(SPECS, "errors"))):
    if fn.endswith(".json"):
        t = strict_load(os.path.join(SPECS, "errors", fn))
        if "as_enum" in t:
            claim(t["as_enum"]["rust"], f"errors/{fn}", f"errors/{fn}")

# ---- field lists ----------------------------------------------------------------------------


def check_type_name(name, where, what):
    if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name or ""):
        err(where, f"{what} `{name}` is not an UpperCamelCase identifier")


def object_fields(f):
    """The member list of a field: its inline fields or those of its shared object type."""
    t = f.get("type")
    if t == "object":
        return f.get("fields", [])
    if t == "array":
        items = f.get("items")
        if isinstance(items, dict):
            return items.get("fields", []) if items.get("type") == "object" else object_fields(items)
        if items in shared:
            return shared[items].get("fields")
        return None
    if t in shared and shared[t]["kind"] == "object":
        return shared[t]["fields"]
    return None


def check_fields(fields, where, source, inline_owner):
    if not isinstance(fields, list):
        err(where, "a field list must be an array")
        return
    wires, rusts = set(), set()
    for i, f in enumerate(fields):
        w = f"{where}[{i}]"
        if not isinstance(f, dict):
            err(w, "a field must be an object")
            continue
        w = f"{where}.{f.get('wire', '?')}"
        if FIELD_VALIDATOR is not None:
            for e in FIELD_VALIDATOR.iter_errors(f):
                err(w, f"schema: {e.message}")
        for k in f:
            if k not in FIELD_KEYS:
                err(w, f"unknown field key `{k}`")
        for k in ("wire", "type", "description"):
            if not isinstance(f.get(k), str) or not f.get(k):
                err(w, f"missing or empty `{k}`")
        wire = f.get("wire", "")
        if wire in wires:
            err(w, "duplicate wire name")
        wires.add(wire)
        rust = f.get("rust") or snake(wire)
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", rust) or rust in KEYWORDS:
            err(w, f"Rust field name `{rust}` is not usable; set `rust`")
        if rust in rusts:
            err(w, f"duplicate Rust field name `{rust}`")
        rusts.add(rust)
        t = f.get("type")
        check_value_type(f, w, source, inline_owner, wire)
        accept = f.get("accept")
        if accept is not None:
            allowed = ACCEPT.get(t, set())
            if not isinstance(accept, list) or not accept or any(a not in allowed for a in accept):
                err(w, f"`accept` {accept} does not fit type {t} (allowed: {sorted(allowed)})")
        for k in ("min_bytes", "max_bytes"):
            if k in f and t != "string":
                err(w, f"`{k}` on a {t}")
        if "notes" in f and not isinstance(f["notes"], str):
            err(w, "`notes` must be a string")
        if isinstance(f.get("description"), str) and re.search(r"\bpage says\b|\(page", f["description"]):
            err(w, "description quotes the page; put doc contradictions in notes")


def check_value_type(f, w, source, owner, wire):
    t = f.get("type")
    if t not in PRIMITIVES and t not in shared:
        err(w, f"unknown type `{t}`")
        return
    if t == "array":
        items = f.get("items")
        if items is None:
            err(w, "array without `items`")
        elif isinstance(items, str):
            if items not in PRIMITIVES - {"array", "object"} and items not in shared:
                err(w, f"unknown items type `{items}`")
        elif isinstance(items, dict):
            for k in items:
                if k not in ITEM_KEYS:
                    err(w, f"unknown items key `{k}`")
            it = items.get("type")
            if it == "object":
                name = items.get("type_name")
                if not name:
                    err(w, "inline object element without `type_name` (callbacks name them explicitly)")
                    name = owner + pascal(wire)
                check_type_name(name, w, "type_name")
                claim(name, source, w)
                check_fields(items.get("fields"), w, source, name)
            elif it not in PRIMITIVES - {"array"} and it not in shared:
                err(w, f"unknown items type `{it}`")
        else:
            err(w, "`items` must be a type name or an object")
    elif "items" in f:
        err(w, "`items` on a non-array")
    if t == "object":
        name = f.get("type_name")
        if not name:
            err(w, "inline object without `type_name` (callbacks name them explicitly)")
            name = owner + pascal(wire)
        check_type_name(name, w, "type_name")
        claim(name, source, w)
        check_fields(f.get("fields"), w, source, name)
    elif "fields" in f or "type_name" in f:
        err(w, "`fields`/`type_name` on a non-object")


# ---- examples -------------------------------------------------------------------------------


def kind_of(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "null"


def type_kinds(t):
    if t in INTS:
        return {"number"}
    if t in ("string", "bool", "array", "object"):
        return {t}
    s = shared[t]
    return {"object": {"object"}, "string_enum": {"string", "number"}, "int_enum": {"number", "string"}}[s["kind"]]


def check_value(v, f, path, where):
    if v is None:
        return
    t = f["type"]
    if t not in PRIMITIVES and t not in shared:
        return
    kinds = type_kinds(t) | set(f.get("accept", []))
    k = kind_of(v)
    if k not in kinds:
        err(where, f"{path} is a JSON {k}, the spec says {t} (accept {f.get('accept', [])})")
        return
    if t in INTS and k == "number" and not isinstance(v, int):
        err(where, f"{path} is not an integer")
    if t in shared and shared[t]["kind"] == "string_enum" and isinstance(v, str):
        if v not in {x["value"] for x in shared[t]["values"]}:
            warn(where, f"{path} = {v!r} is not a value of {t} (decodes to Unknown)")
    if t == "array":
        items = f["items"]
        item_field = {"type": items} if isinstance(items, str) else items
        for i, x in enumerate(v):
            check_value(x, item_field, f"{path}[{i}]", where)
        return
    members = object_fields(f)
    if k == "object" and members is not None:
        check_object(v, members, path, where)


def check_object(obj, fields, path, where):
    by_wire = {f["wire"]: f for f in fields if isinstance(f, dict) and "wire" in f}
    for key, v in obj.items():
        p = f"{path}.{key}" if path else key
        if key not in by_wire:
            err(where, f"example key {p} is not a declared field")
            continue
        check_value(v, by_wire[key], p, where)
    for f in fields:
        if f.get("required") and f["wire"] not in obj:
            err(where, f"example lacks the required field {path}.{f['wire']}")


# ---- coverage against the reference ---------------------------------------------------------


def reference_tree(entry):
    """{name: (reference field, {member name: ...})} from the flat reference list."""
    tree = {}
    for rf in entry["fields"]:
        parts = re.split(r"\.", rf["name"])
        node = tree
        for part in parts[:-1]:
            part = part.removesuffix("[]")
            node = node.setdefault(part, [None, {}])[1]
        node.setdefault(parts[-1], [None, {}])[0] = rf
    return tree


def check_coverage(tree, fields, where, top):
    if fields is None:
        if tree:
            err(where, f"the reference lists members {sorted(tree)} but the field has none")
        return
    by_wire = {f.get("wire"): f for f in fields if isinstance(f, dict)}
    for name, (rf, members) in tree.items():
        if top and name == "CallbackCommand":
            if name in by_wire:
                err(where, "CallbackCommand is the discriminant; do not list it in `body`")
            continue
        if name not in by_wire:
            err(where, f"reference field {name} is not declared")
            continue
        f = by_wire[name]
        if members:
            check_coverage(members, object_fields(f), f"{where}.{name}", False)
        if rf and rf.get("values"):
            t = f.get("type")
            if t in shared and shared[t]["kind"] in ("string_enum", "int_enum"):
                known = {x["value"] for x in shared[t]["values"]}
                missing = [v for v in rf["values"] if v not in known]
                if missing:
                    warn(f"{where}.{name}", f"documented values {missing} are not values of {t} (they decode to Unknown)")
    if tree:
        for w in by_wire:
            if w not in tree:
                err(f"{where}.{w}", "declared but not in the reference")


# ---- the files ------------------------------------------------------------------------------


def check_reply(reply, where, source):
    if not isinstance(reply, dict):
        err(where, "`reply` must be an object")
        return
    for k in reply:
        if k not in REPLY_KEYS:
            err(where, f"unknown reply key `{k}`")
    for k in ("description", "on_timeout", "decisions"):
        if k not in reply:
            err(where, f"reply lacks `{k}`")
    if reply.get("on_timeout") not in ("block", "allow"):
        err(where, "on_timeout must be \"block\" or \"allow\"")
    codes, names = set(), set()
    for d in reply.get("decisions", []):
        for k in d:
            if k not in DECISION_KEYS:
                err(where, f"unknown decision key `{k}`")
        if set(d) != DECISION_KEYS:
            err(where, f"a decision needs {sorted(DECISION_KEYS)}")
        if not isinstance(d.get("code"), int) or isinstance(d.get("code"), bool):
            err(where, "a decision code must be an integer")
        if d.get("code") in codes or d.get("rust") in names:
            err(where, f"duplicate decision {d.get('code')} / {d.get('rust')}")
        codes.add(d.get("code"))
        names.add(d.get("rust"))
        check_type_name(d.get("rust"), where, "decision variant")
    if 0 not in codes:
        err(where, "code 0 must be one of the decisions")
    p = reply.get("pass_through")
    if p is not None:
        for k in p:
            if k not in PASS_KEYS:
                err(where, f"unknown pass_through key `{k}`")
        if set(p) != PASS_KEYS:
            err(where, f"pass_through needs {sorted(PASS_KEYS)}")
        check_type_name(p.get("rust"), where, "pass_through variant")
        if p.get("rust") in names:
            err(where, "pass_through variant repeats a decision variant")
        if not (isinstance(p.get("min"), int) and isinstance(p.get("max"), int) and 0 < p["min"] <= p["max"]):
            err(where, "pass_through needs integers 0 < min <= max")
        elif any(p["min"] <= c <= p["max"] for c in codes):
            err(where, "a decision code lies in the pass-through range")
    if "fields" in reply:
        check_fields(reply["fields"], f"{where}.fields", source, "Reply")


def main():
    reference = strict_load(REFERENCE)
    entries = {c["command"]: c for c in reference["callbacks"] if c["kind"] != "switch"}
    folder = os.path.join(SPECS, "callbacks")
    files = sorted(f for f in os.listdir(folder) if f.endswith(".json")) if os.path.isdir(folder) else []
    seen = set()
    for fn in files:
        where = f"callbacks/{fn}"
        try:
            spec = strict_load(os.path.join(folder, fn))
        except (ValueError, json.JSONDecodeError) as e:
            err(where, f"not strict JSON: {e}")
            continue
        if not isinstance(spec, dict):
            err(where, "the file must hold an object")
            continue
        for k in spec:
            if k not in TOP_KEYS:
                err(where, f"unknown key `{k}`")
        for k in REQUIRED_TOP:
            if k not in spec:
                err(where, f"missing key `{k}`")
        cmd = spec.get("callback", "")
        if fn[:-5] != cmd:
            err(where, f"file stem must equal callback `{cmd}`")
        if spec.get("$schema") != "../spec.schema.json":
            err(where, "`$schema` should be ../spec.schema.json")
        entry = entries.get(cmd)
        if entry is None:
            err(where, f"`{cmd}` is not an event command of the reference")
            continue
        seen.add(cmd)
        kind = spec.get("kind")
        if kind != entry["kind"]:
            err(where, f"kind {kind!r}, the reference says {entry['kind']!r}")
        if kind == "before" and "reply" not in spec:
            err(where, "a before-callback needs `reply`")
        if kind == "after" and "reply" in spec:
            err(where, "an after-callback has no `reply`")
        rust_name = spec.get("rust_name")
        if rust_name is None:
            err(where, "give `rust_name` explicitly")
        else:
            check_type_name(rust_name, where, "rust_name")
            claim(rust_name, where, where)
        if isinstance(spec.get("title"), str) and spec["title"].endswith("."):
            err(where, "title ends with a period")
        check_fields(spec.get("body"), f"{where} body", where, rust_name or "?")
        check_coverage(reference_tree(entry), spec.get("body"), f"{where} body", True)
        if "reply" in spec:
            check_reply(spec["reply"], f"{where} reply", where)
        examples = spec.get("examples", [])
        if not isinstance(examples, list):
            err(where, "`examples` must be an array")
            examples = []
        names = set()
        for i, ex in enumerate(examples):
            w = f"{where} examples[{i}]"
            if set(ex) != {"name", "body"}:
                err(w, "an example has exactly `name` and `body`")
            if ex.get("name") in names:
                err(w, "duplicate example name")
            names.add(ex.get("name"))
            body = ex.get("body", {})
            if body.get("CallbackCommand") != cmd:
                err(w, f"CallbackCommand must be {cmd}")
            check_object({k: v for k, v in body.items() if k != "CallbackCommand"}, spec.get("body", []), "", w)
        documented = entry.get("sample_body")
        if documented is not None:
            if not any(ex.get("body") == documented for ex in examples):
                err(where, "the reference's sample_body is not among the examples")
        elif entry.get("sample_body_text"):
            if not examples or "repaired" not in spec.get("notes", ""):
                err(where, "the sample is only text: give the repaired sample and say how in notes")
        elif entry.get("sample_withheld"):
            for ex in examples:
                if "built from the field table" not in ex.get("name", ""):
                    err(where, "the sample is withheld: an example must be named 'built from the field table'")
    for cmd in sorted(set(entries) - seen):
        err("callbacks/", f"no file for {cmd}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    schema_note = "" if FIELD_VALIDATOR else " (jsonschema not installed: field schema not checked)"
    print(f"{len(files)} files, {len(errors)} errors, {len(warnings)} warnings{schema_note}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
