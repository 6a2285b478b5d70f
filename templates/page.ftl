<#import "macros.ftl" as m>
<#assign root = content.rootpath!"">
<@m.head title=content.title description=(content.description!"") root=root/>
<body>
<@m.header root=root/>
<div class="layout">
  <@m.nav root=root current=content.uri/>
  <main id="main" class="page">
    <article>
      <h1>${content.title}</h1>
      <p class="lead">${(content.description!"")?html}</p>
      ${content.body}
    </article>
  </main>
</div>
</body>
</html>
