<#import "macros.ftl" as m>
<@m.head title="Home" description=config.site_tagline root="" uri="index.html"/>
<body>
<@m.header root="" contents=false/>
<main id="main" class="home" tabindex="-1">
  <h1>${config.site_title}</h1>
  <p class="lead">${config.site_tagline}</p>
  <p>Every example on these pages is a single Java file: run it with <code>java File.java</code> or open it
    in <code>jshell</code>. The output shown under each example is what the build captured from running it.</p>
  <#list m.sections() as section>
    <#assign pages = m.pagesOf(section.id)>
    <#if pages?has_content>
    <section class="home-section" aria-labelledby="${section.id}">
      <h2 id="${section.id}">${section.title}</h2>
      <ul>
        <#list pages as p>
        <li><a href="${p.uri}">${p.title}</a> <span class="summary">${(p.description!"")?html}</span></li>
        </#list>
      </ul>
    </section>
    </#if>
  </#list>
</main>
<@m.footer root=""/>
</body>
</html>
