// Verifies one recorded LMS call with the Standard Webhooks reference library (npm `standardwebhooks`), as an LMS
// written in JavaScript would: node verify-webhook.js <text|bytes> <secret> <body file> <headers json file>
// Prints "verified" (exit 0) or "rejected: <reason>" (exit 1).
//
// `text` hands the body to the library as the UTF-8 string it expects (a JSON confirmation). The library turns any
// payload into a string and that string into UTF-8, which cannot carry a binary body (the multipart store callback
// holds a video); `bytes` keeps every byte by giving it the body as a Latin-1 string and a TextEncoder that writes
// each character back as the one byte it came from. The library's own HMAC, header parsing, timestamp tolerance and
// constant-time comparison are used unchanged.
const fs = require("fs");
const [mode, secret, bodyFile, headersFile] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);
let payload = body.toString("utf8");
if (mode === "bytes") {
  payload = body.toString("latin1");
  globalThis.TextEncoder = class {
    encode(text) {
      return Uint8Array.from(Buffer.from(text, "latin1"));
    }
  };
}
const { Webhook } = require("standardwebhooks");
const headers = JSON.parse(fs.readFileSync(headersFile, "utf8"));
try {
  new Webhook(secret).verify(payload, headers, { jsonParse: false });
  console.log("verified");
} catch (e) {
  console.log("rejected: " + e.message);
  process.exit(1);
}
