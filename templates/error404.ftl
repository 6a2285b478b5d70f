<#import "macros.ftl" as m>
<#-- Served for any missing path at any depth, so links start from the site's base path, not a relative root. -->
<#assign root = config.site_basepath>
<@m.head title="Page not found" description="The page you asked for is not in the guide." root=root uri="404.html"/>
<body>
<@m.header root=root/>
<div class="layout">
  <main id="main" class="page" tabindex="-1">
    <h1>Page not found</h1>
    <p class="lead">There is no page at this address. It may have moved when the guide was reorganised.</p>
    <p>Search the guide with the box at the top of the page (press <kbd>/</kbd>), start from the
      <a href="${root}index.html">home page</a>, or pick a topic from the contents.</p>
  </main>
  <@m.nav root=root/>
</div>
<@m.footer root=root/>
</body>
</html>
