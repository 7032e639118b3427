/* The connection builder of hook pages (sphinxext-etl): the form's values as the three forms
 * Airflow reads a connection in, a URI, JSON and an AIRFLOW_CONN_<ID> environment variable.
 * Everything happens in this page: nothing is sent or stored anywhere.
 *
 * The URI is what Airflow's Connection.get_uri() gives for the same connection, and the JSON is
 * what Python's json.dumps() writes, so both read back as the same fields. That needs JSON as
 * Python sees it: keys in their order (JSON.parse puts integer-like keys first), integers of
 * any size, and floats that stay floats (Python writes 1.0, JSON.stringify writes 1).
 */
(function () {
  "use strict";

  // --- JSON as Python's json module reads and writes it ---------------------------------------
  // Values: {kind: "object", entries: [[key, value]]}, {kind: "array", items}, {kind:
  // "string", value}, {kind: "int", text}, {kind: "float", value}, {kind: "bool", value},
  // {kind: "null"}.

  function JsonError(message) {
    this.message = message;
  }

  function parseJson(text) {
    var at = 0;
    function fail(what) {
      throw new JsonError(what + " at character " + (at + 1));
    }
    function skipSpace() {
      while (at < text.length && " \t\n\r".indexOf(text[at]) >= 0) at++;
    }
    function value() {
      skipSpace();
      var c = text[at];
      if (c === "{") return object();
      if (c === "[") return array();
      if (c === '"') return { kind: "string", value: string() };
      if (c === "-" || (c >= "0" && c <= "9")) return number();
      var words = { true: { kind: "bool", value: true }, false: { kind: "bool", value: false }, null: { kind: "null" } };
      for (var word in words) {
        if (text.startsWith(word, at)) {
          at += word.length;
          return words[word];
        }
      }
      if (/^(NaN|Infinity)/.test(text.slice(at))) fail("NaN and Infinity are not JSON");
      fail("expected a value");
    }
    /** Items up to ``close``, separated by commas (none after the last, as in Python). */
    function sequence(close, readItem) {
      at++;
      skipSpace();
      if (text[at] === close) {
        at++;
        return;
      }
      for (;;) {
        readItem();
        skipSpace();
        if (text[at] === ",") {
          at++;
        } else if (text[at] === close) {
          at++;
          return;
        } else {
          fail("expected ',' or '" + close + "'");
        }
      }
    }
    function object() {
      var entries = [];
      sequence("}", function () {
        skipSpace();
        if (text[at] !== '"') fail("expected a key in double quotes");
        var key = string();
        skipSpace();
        if (text[at] !== ":") fail("expected ':'");
        at++;
        setEntry(entries, key, value());
      });
      return { kind: "object", entries: entries };
    }
    function array() {
      var items = [];
      sequence("]", function () {
        items.push(value());
      });
      return { kind: "array", items: items };
    }
    function string() {
      var out = "";
      var escapes = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      at++;
      for (;;) {
        if (at >= text.length) fail("unterminated string");
        var c = text[at];
        if (c === '"') {
          at++;
          return out;
        }
        if (c < " ") fail("control character in a string");
        if (c !== "\\") {
          out += c;
          at++;
          continue;
        }
        var e = text[at + 1];
        if (e === "u") {
          var hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else if (Object.prototype.hasOwnProperty.call(escapes, e)) {
          out += escapes[e];
          at += 2;
        } else {
          fail("invalid escape");
        }
      }
    }
    function number() {
      var match = /^(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(at));
      if (!match) fail("invalid number");
      at += match[0].length;
      if (!match[2] && !match[3]) return { kind: "int", text: match[1] === "-0" ? "0" : match[1] };
      var float = Number(match[0]);
      if (!isFinite(float)) fail("number out of range");
      return { kind: "float", value: float };
    }
    var result = value();
    skipSpace();
    if (at < text.length) fail("unexpected text after the JSON value");
    return result;
  }

  /** Python's dict: a key set again keeps its place and takes the new value. */
  function setEntry(entries, key, item) {
    for (var i = 0; i < entries.length; i++) {
      if (entries[i][0] === key) {
        entries[i][1] = item;
        return;
      }
    }
    entries.push([key, item]);
  }

  /** Python's repr() of a float: shortest digits, exponent below 1e-4 and from 1e16. */
  function floatRepr(x) {
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    var parts = Math.abs(x).toExponential().split("e");
    var digits = parts[0].replace(".", "");
    var exponent = parseInt(parts[1], 10);
    var sign = x < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      var mantissa = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "");
      var size = String(Math.abs(exponent));
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (size.length < 2 ? "0" : "") + size;
    }
    if (exponent < 0) return sign + "0." + "0".repeat(-exponent - 1) + digits;
    var whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    return sign + whole + "." + (digits.slice(exponent + 1) || "0");
  }

  function quoteString(text, ensureAscii) {
    var named = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };
    var out = '"';
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      var code = text.charCodeAt(i);
      if (Object.prototype.hasOwnProperty.call(named, c)) out += named[c];
      else if (code < 0x20 || (ensureAscii && code > 0x7e)) out += "\\u" + code.toString(16).padStart(4, "0");
      else out += c;
    }
    return out + '"';
  }

  /** json.dumps(value, ensure_ascii=ensureAscii) with Python's default separators. */
  function dumps(value, ensureAscii) {
    switch (value.kind) {
      case "object":
        return "{" + value.entries.map(function (entry) {
          return quoteString(entry[0], ensureAscii) + ": " + dumps(entry[1], ensureAscii);
        }).join(", ") + "}";
      case "array":
        return "[" + value.items.map(function (item) { return dumps(item, ensureAscii); }).join(", ") + "]";
      case "string":
        return quoteString(value.value, ensureAscii);
      case "int":
        return value.text;
      case "float":
        return floatRepr(value.value);
      case "bool":
        return value.value ? "true" : "false";
      default:
        return "null";
    }
  }

  // --- Connection.get_uri() (airflow/models/connection.py, airflow/sdk/definitions/connection.py)

  /** urllib.parse.quote(text, safe=""): only letters, digits and _.-~ stay as they are. */
  function quote(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  /** urllib.parse.urlencode(pairs), which quotes with quote_plus: a space becomes "+". */
  function urlencode(pairs) {
    return pairs.map(function (pair) {
      return quote(pair[0]).replace(/%20/g, "+") + "=" + quote(pair[1]).replace(/%20/g, "+");
    }).join("&");
  }

  /** The URI Airflow's get_uri() gives; null fields are unset, ``extra`` an object value. */
  function getUri(conn) {
    var uri = conn.conn_type ? conn.conn_type.toLowerCase().replace(/_/g, "-") + "://" : "//";
    var host = conn.host;
    var protocol = null;
    if (conn.host && conn.host.indexOf("://") >= 0) {
      var split = conn.host.indexOf("://");
      // A host that starts with the connection type's own protocol is quoted whole.
      if (conn.host.slice(0, split) !== conn.conn_type) {
        protocol = conn.host.slice(0, split);
        host = conn.host.slice(split + 3);
      }
    }
    if (protocol) uri += protocol + "://";
    var authority = "";
    if (conn.login !== null) authority += quote(conn.login);
    if (conn.password !== null) authority += ":" + quote(conn.password);
    if (authority) {
      authority += "@";
      uri += authority;
    }
    var hostBlock = host ? quote(host) : "";
    if (conn.port) hostBlock += (hostBlock === "" && authority === "" ? "@:" : ":") + conn.port;
    if (conn.schema) hostBlock += "/" + quote(conn.schema);
    uri += hostBlock;
    if (conn.extra) {
      var entries = conn.extra.entries;
      // get_uri() urlencodes the extra before it decides how to write it, and fails there on
      // a key or string value that holds an unpaired surrogate; quote() throws on it too.
      entries.forEach(function (entry) {
        quote(entry[0]);
        if (entry[1].kind === "string") quote(entry[1].value);
      });
      var flat = entries.length > 0 && entries.every(function (entry) { return entry[1].kind === "string"; });
      // Extras of strings only go in the query as they are; others as JSON in __extra__.
      var pairs = flat
        ? entries.map(function (entry) { return [entry[0], entry[1].value]; })
        : [["__extra__", dumps(conn.extra, true)]];
      uri += (conn.schema ? "?" : "/?") + urlencode(pairs);
    }
    return uri;
  }

  /** What Airflow reads back from the URI differently: host case, extra values that parse. */
  function uriNotes(conn) {
    var notes = [];
    var host = conn.host || "";
    var protocol = "";
    if (host.indexOf("://") >= 0 && host.slice(0, host.indexOf("://")) !== conn.conn_type) {
      protocol = host.slice(0, host.indexOf("://"));
      host = host.slice(host.indexOf("://") + 3);
    }
    if (protocol && !/^[a-z][a-z0-9+.-]*$/.test(protocol)) {
      notes.push("Airflow reads the host's protocol \"" + protocol + "\" back only in lower case, and only if it is letters, digits, '+', '-' or '.'.");
    } else if (/[A-Z]/.test(host) && host.indexOf("/") < 0) {
      notes.push("Airflow reads the host back from the URI in lower case.");
    }
    if (conn.extra && conn.extra.entries.every(function (entry) { return entry[1].kind === "string"; })) {
      var keys = conn.extra.entries.map(function (entry) { return entry[0]; });
      var parsed = conn.extra.entries.filter(function (entry) {
        return entry[1].value !== "" && pythonParses(entry[1].value);
      }).map(function (entry) { return entry[0]; });
      if (keys.indexOf("__extra__") >= 0) {
        notes.push("From the URI, Airflow takes extra __extra__ for the whole extra: use the JSON form.");
      } else if (parsed.length) {
        notes.push("From the URI, Airflow reads extra " + parsed.join(", ") + " as JSON, not as the text given: use the JSON form to keep it.");
      }
    }
    return notes;
  }

  function pythonParses(text) {
    if (/^[ \t\n\r]*(NaN|-?Infinity)[ \t\n\r]*$/.test(text)) return true;
    try {
      parseJson(text);
      return true;
    } catch (error) {
      if (error instanceof JsonError) return false;
      throw error;
    }
  }

  // --- the three forms ---------------------------------------------------------------------

  var CONN_ID = /^[\p{L}\p{N}_#!()\-.:/\\]+$/u;
  var SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

  /** A field's text as the value it stands for, or null when empty; throws JsonError. */
  function fieldValue(text, type) {
    if (text === "") return null;
    if (type === "integer") {
      if (!/^-?[0-9]+$/.test(text.trim())) throw new JsonError("is not a whole number");
      return { kind: "int", text: BigInt(text.trim()).toString() };
    }
    if (type === "number") {
      try {
        var number = parseJson(text);
        if (number.kind === "int" || number.kind === "float") return number;
      } catch (error) {
        if (!(error instanceof JsonError)) throw error;
      }
      throw new JsonError("is not a number");
    }
    if (type === "boolean") return { kind: "bool", value: text === "true" };
    if (type === "json") return parseJson(text);
    return { kind: "string", value: text };
  }

  /**
   * The connection of ``values`` ({conn_id, conn_type, host, login, password, schema, port,
   * extra: text, extras: [[key, text, type]]}) in its three forms: {uri, json, env, problems,
   * notes}; a form that cannot be given is "".
   */
  function encode(values) {
    var problems = [];
    var conn = { conn_type: values.conn_type };
    ["host", "login", "password", "schema"].forEach(function (name) {
      conn[name] = values[name] ? values[name] : null;
    });
    conn.port = null;
    var port = (values.port || "").trim();
    if (port) {
      if (/^[0-9]+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) conn.port = Number(port);
      else problems.push({ field: "port", message: "The port must be a whole number from 1 to 65535." });
    }
    var extra = { kind: "object", entries: [] };
    if ((values.extra || "").trim()) {
      var kinds = { array: "an array", string: "a string", int: "a number", float: "a number", bool: "a boolean", null: "null" };
      try {
        var parsed = parseJson(values.extra);
        if (parsed.kind === "object") extra = parsed;
        else problems.push({ field: "extra", message: "Extra must be a JSON object, not " + kinds[parsed.kind] + "." });
      } catch (error) {
        if (!(error instanceof JsonError)) throw error;
        problems.push({ field: "extra", message: "Extra must be a JSON object: " + error.message + "." });
      }
    }
    (values.extras || []).forEach(function (field) {
      try {
        var item = fieldValue(field[1], field[2]);
        if (item !== null) setEntry(extra.entries, field[0], item);
      } catch (error) {
        if (!(error instanceof JsonError)) throw error;
        problems.push({ extra: field[0], message: "Extra " + field[0] + " " + error.message + "." });
      }
    });
    conn.extra = extra.entries.length ? extra : null;
    var result = { uri: "", json: "", env: "", problems: problems, notes: [] };
    if (problems.length) return result;
    try {
      result.uri = getUri(conn);
      result.notes = uriNotes(conn);
    } catch (error) {
      if (!(error instanceof URIError)) throw error;
      // Python's quote() raises on them too: get_uri() gives no URI.
      result.notes = ["Airflow gives this connection no URI: a value holds an unpaired surrogate (\\ud800 to \\udfff)."];
    }
    // The keys and order of Connection.to_dict(), without the empty ones (as as_json()).
    var fields = [["conn_type", { kind: "string", value: conn.conn_type }]];
    ["host", "login", "password", "schema"].forEach(function (name) {
      if (conn[name] !== null) fields.push([name, { kind: "string", value: conn[name] }]);
    });
    if (conn.port !== null) fields.push(["port", { kind: "int", text: String(conn.port) }]);
    if (conn.extra) fields.push(["extra", conn.extra]);
    result.json = dumps({ kind: "object", entries: fields }, false);
    var connId = values.conn_id || "";
    if (!connId) {
      problems.push({ field: "conn_id", message: "Give a connection ID for the environment variable." });
      return result;
    }
    // The variable is read as AIRFLOW_CONN_ + conn_id.upper(), a value starting with "{" as JSON.
    var name = "AIRFLOW_CONN_" + connId.toUpperCase();
    result.env = "export " + name + "='" + result.json.replace(/'/g, "'\\''") + "'";
    if (!CONN_ID.test(connId) || Array.from(connId).length > 250) {
      result.notes.push("Airflow's UI and API take connection IDs of up to 250 letters, digits and _#!()-.:/\\ only.");
    } else if (!SHELL_NAME.test(name)) {
      result.notes.push(name + " is no shell variable name: set it in your deployment's environment (Docker, Kubernetes) rather than with export.");
    }
    return result;
  }

  // --- the form ----------------------------------------------------------------------------

  function setUp(form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("[data-etl-field], [data-etl-extra]"));
    var problemsOut = form.querySelector(".etl-cb-problems");
    var notesOut = form.querySelector(".etl-cb-notes");

    function update() {
      var values = { conn_type: form.dataset.connType, extras: [] };
      inputs.forEach(function (input) {
        if (input.dataset.etlExtra !== undefined) {
          values.extras.push([input.dataset.etlExtra, input.value, input.dataset.etlType]);
        } else {
          values[input.dataset.etlField] = input.value;
        }
      });
      var result = encode(values);
      ["uri", "json", "env"].forEach(function (key) {
        var output = form.querySelector('[data-etl-output="' + key + '"]');
        output.value = result[key];
        output.style.height = "auto";
        output.style.height = output.scrollHeight + 2 + "px";
        form.querySelector('[data-etl-copy="' + key + '"]').disabled = !result[key];
      });
      inputs.forEach(function (input) {
        var bad = result.problems.some(function (problem) {
          return problem.extra !== undefined
            ? problem.extra === input.dataset.etlExtra
            : input.dataset.etlField !== undefined && problem.field === input.dataset.etlField;
        });
        if (bad) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      });
      problemsOut.textContent = result.problems.map(function (p) { return p.message; }).join(" ");
      notesOut.textContent = result.notes.join(" ");
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.querySelectorAll("[data-etl-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        copy(form.querySelector('[data-etl-output="' + button.dataset.etlCopy + '"]'), button);
      });
    });
    form.hidden = false;
    update();
  }

  function copy(output, button) {
    var label = button.textContent;
    function done(message) {
      button.textContent = message;
      window.setTimeout(function () { button.textContent = label; }, 1500);
    }
    function fallback() {
      output.focus();
      output.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      done(copied ? "Copied" : "Press Ctrl+C");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(output.value).then(function () { done("Copied"); }, fallback);
    } else {
      fallback();
    }
  }

  window.etlConnection = { encode: encode };

  function start() {
    document.querySelectorAll("form.etl-connection-builder").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
