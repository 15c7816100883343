// What the shell page tells the script (field/pwa.py client_config): URLs and the UI's
// text in the user's language (field/strings.py, through gettext).
const node = document.getElementById("field-config");
export const config = JSON.parse(node.textContent);

/** The text ``key`` with its %(name)s placeholders filled from ``values``. */
export function t(key, values) {
  let text = config.strings[key];
  if (text === undefined) {
    console.warn("field: no text for", key);
    text = key;
  }
  for (const [name, value] of Object.entries(values || {})) {
    text = text.split(`%(${name})s`).join(String(value));
  }
  return text;
}
