// Autosave for long forms: a second after the person stops typing, the form is saved in the
// background with the same checks as the buttons. Without JavaScript the buttons do the same.
const form = document.querySelector("form[data-autosave]");
const status = document.querySelector("[data-autosave-status]");

if (form && status) {
  let timer = null;
  let inFlight = null;
  let stopped = false;

  const say = (text) => {
    status.hidden = false;
    status.textContent = text;
  };

  const send = async () => {
    const response = await fetch(window.location.href, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Autosave": "1", Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.redirected) {
      // Signed out: the save buttons still work, and what was typed survives the sign-in.
      stopped = true;
      say("You have been signed out. Select a save button: after you sign in again, your answers will be here to save.");
    } else if (response.ok) {
      const result = await response.json();
      form.querySelector("input[name=revision]").value = result.revision;
      say(`Saved at ${new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`);
    } else if (response.status === 409) {
      stopped = true;
      say("Someone else has saved this audit. Your typing here is not being saved automatically: use a save button to keep it.");
    } else if (response.status === 400) {
      say("Not saved automatically yet: check the answers on this page.");
    } else {
      say("Not saved automatically: use a save button before you leave.");
    }
  };

  const save = () => {
    if (stopped || inFlight) return;
    inFlight = send().catch(() => say("Not saved automatically: use a save button before you leave.")).finally(() => {
      inFlight = null;
    });
  };

  form.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1000);
  });

  form.addEventListener("submit", (event) => {
    window.clearTimeout(timer);
    // A save button pressed while an autosave is on its way waits for it, so that the button's
    // save starts from the revision the autosave made rather than clashing with it.
    if (inFlight) {
      event.preventDefault();
      const submitter = event.submitter;
      inFlight.then(() => form.requestSubmit(submitter));
    }
  });
}
