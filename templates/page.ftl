<#import "macros.ftl" as m>
<#assign root = content.rootpath!"">
<@m.head title=content.title description=(content.description!"") root=root uri=content.uri type="article"/>
<body>
<@m.header root=root/>
<div class="layout">
  <main id="main" class="page" tabindex="-1">
    <@m.breadcrumbs root=root page=content/>
    <article>
      <h1>${content.title}</h1>
      <p class="lead">${(content.description!"")?html}</p>
      <@m.toc page=content/>
      ${content.body}
      <@m.tags root=root page=content/>
    </article>
    <@m.pager root=root current=content.uri/>
  </main>
  <@m.nav root=root current=content.uri/>
</div>
<@m.footer root=root/>
</body>
</html>
