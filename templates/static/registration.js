/* Tell the platform the registration is complete (LTI Dynamic Registration §3.6.3). */
document.getElementById("close").addEventListener("click", function () {
  (window.opener || window.parent).postMessage({subject: "org.imsglobal.lti.close"}, "*");
});
