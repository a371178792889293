// Copies a pull command to the clipboard. The only script of the console: it reads the text of
// the button's data-copy attribute (rendered escaped by the server) and holds no credential.
document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest("button.copy") : null;
  if (!button) {
    return;
  }
  try {
    await navigator.clipboard.writeText(button.dataset.copy || "");
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select and copy";
  }
});
