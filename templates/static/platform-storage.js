/* 1EdTech LTI client-side postMessage storage: keep OIDC state in the platform, not a cookie. */
var semhPlatformStorage = (function () {
  "use strict";
  function frame(target) {
    if (target === "_parent") { return window.parent; }
    try { return window.parent.frames[target] || window.parent; } catch (e) { return window.parent; }
  }
  function ask(el, message, onReply) {
    var id = "semh-" + Math.random().toString(36).slice(2);
    var done = false;
    function finish(reply) { if (!done) { done = true; window.removeEventListener("message", listen); onReply(reply); } }
    function listen(event) {
      var data = event.data || {};
      if (data.message_id !== id) { return; }
      if (el.dataset.origin !== "*" && event.origin !== el.dataset.origin) { return; }
      finish(data);
    }
    window.addEventListener("message", listen);
    message.message_id = id;
    frame(el.dataset.target).postMessage(message, el.dataset.origin);
    window.setTimeout(function () { finish(null); }, 2000);
  }
  return {
    put: function (el) {
      ask(el, {subject: "lti.put_data", key: el.dataset.key, value: el.dataset.value}, function () {
        window.location.href = el.dataset.next;
      });
    },
    get: function (el, field, form) {
      ask(el, {subject: "lti.get_data", key: el.dataset.key}, function (reply) {
        if (reply && typeof reply.value === "string") { field.value = reply.value; }
        form.submit();
      });
    }
  };
}());
