<#import "macros.ftl" as m>
<#assign root = "../">
<@m.head title="Tags" description="Every tag used in the guide, with the number of pages that carry it." root=root uri="tags/index.html"/>
<body>
<@m.header root=root/>
<div class="layout">
  <main id="main" class="page" tabindex="-1">
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        <li><a href="${root}index.html">Home</a></li>
        <li><a href="${root}tags/index.html" aria-current="page">Tags</a></li>
      </ol>
    </nav>
    <h1>Tags</h1>
    <ul class="tag-list">
      <#list tags?sort_by("name") as t>
      <li><a href="${root}tags/${t.name}.html">${t.name}</a> (${t.tagged_documents?size})</li>
      </#list>
    </ul>
  </main>
  <@m.nav root=root/>
</div>
<@m.footer root=root/>
</body>
</html>
