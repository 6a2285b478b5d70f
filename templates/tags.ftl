<#import "macros.ftl" as m>
<#assign root = content.rootpath!"../">
<@m.head title="Tagged ${tag}" description="Pages of the guide tagged ${tag}." root=root uri="tags/${tag}.html"/>
<body>
<@m.header root=root/>
<div class="layout">
  <main id="main" class="page" tabindex="-1">
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        <li><a href="${root}index.html">Home</a></li>
        <li><a href="${root}tags/index.html">Tags</a></li>
        <li><a href="${root}tags/${tag}.html" aria-current="page">${tag}</a></li>
      </ol>
    </nav>
    <h1>Tagged “${tag}”</h1>
    <ul class="tagged">
      <#list tagged_documents?sort_by("title") as p>
      <li><a href="${root}${p.uri}">${p.title}</a> <span class="summary">${(p.description!"")?html}</span></li>
      </#list>
    </ul>
  </main>
  <@m.nav root=root/>
</div>
<@m.footer root=root/>
</body>
</html>
