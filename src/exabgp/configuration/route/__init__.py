"""Routes: one grammar for the configuration and the API, producing the codec's `Route` values.

- `grammar`: the words after a prefix (attributes, next hop, path-information, split, watchdog) and
  the `Builder` which interns what routes share;
- `attributes`: each path attribute keyword and its value;
- `prefix`: prefixes, their family, `split`;
- `statements`: whole statements (`route PREFIX ...`, `attributes ... nlri ...`, `unicast PREFIX ...`),
  which the API's command parser calls with a cursor over its tokenized line (`tokenizer.tokenize`);
- `sections`: the configuration sections holding routes (static, announce, flow, l2vpn).
"""
