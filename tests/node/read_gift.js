// Parse a GIFT file with gift-pegjs and print the questions as JSON (used by tests/test_export_gift_pegjs.py).
const fs = require("fs");
const { parse } = require("gift-pegjs");

try {
  process.stdout.write(JSON.stringify(parse(fs.readFileSync(process.argv[2], "utf8"))));
} catch (error) {
  process.stderr.write(`gift-pegjs: ${error.message}\n`);
  process.exit(1);
}
