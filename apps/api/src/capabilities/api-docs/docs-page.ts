/**
 * Swagger UI's page. The script that starts it is a file of its own (the Content-Security-Policy
 * allows no inline script), and it turns off the validator badge, which would call another host.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Venture CRM API</title>
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png" />
  </head>
  <body>
    <div id="docs"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/assets/docs-init.js"></script>
  </body>
</html>
`;

export const DOCS_INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#docs',
  validatorUrl: null,
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  requestInterceptor: (req) => {
    // Calls tried from the page go with the session cookie, which writes must name (CSRF rule).
    req.headers['X-Requested-With'] = 'XMLHttpRequest';
    return req;
  },
});
`;
