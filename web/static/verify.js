// ตรวจสอบเอกสาร: say at once that a chosen file is over the limit, before it is sent (the server
// refuses it too: this only spares a long upload on a slow line).
document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("file");
  const warning = document.getElementById("file-too-large");
  if (!input || !warning) return;
  const limit = Number(input.dataset.maxBytes);
  input.addEventListener("change", () => {
    const tooLarge = input.files.length > 0 && input.files[0].size > limit;
    warning.hidden = !tooLarge;
    input.setCustomValidity(tooLarge ? warning.textContent : "");
  });
});
