// Swagger UI on this API's OpenAPI description; no inline script, so the site's CSP holds.
window.addEventListener("load", function () {
  var root = document.getElementById("api-docs");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    persistAuthorization: false,
  });
});
