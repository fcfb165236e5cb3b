// GOV.UK's conditional reveal: what an answer needs appears under it once it is chosen. Used on
// radios marked data-app-reveals="<id of the part to reveal>" inside a form marked
// data-app-conditional-reveal. GOV.UK Frontend's own radios script would also put aria-expanded
// on the radio, which ARIA does not allow on a radio (axe refuses it), so this reveals with the
// same markup and classes and leaves that attribute out. Without JavaScript nothing is hidden
// (GOV.UK hides only where its scripts run) and the server checks every field.
function revealFor(form) {
  const radios = form.querySelectorAll("input[type=radio][data-app-reveals]");
  const sync = () => {
    radios.forEach((radio) => {
      const part = document.getElementById(radio.dataset.appReveals);
      if (part) part.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
    });
  };
  form.addEventListener("change", sync);
  sync();
}

if (document.body.classList.contains("govuk-frontend-supported")) {
  document.querySelectorAll("form[data-app-conditional-reveal]").forEach(revealFor);
}
