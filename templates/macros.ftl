<#-- Shared pieces of every page: the head, the header bar and the section navigation. -->
<#function sections>
  <#local result = []>
  <#list config.site_sections as entry>
    <#local parts = entry?split("|")>
    <#local result = result + [{"id": parts[0]?trim, "title": parts[1]?trim}]>
  </#list>
  <#return result>
</#function>

<#function pagesOf sectionId>
  <#return published_pages?filter(p -> (p.section!"") == sectionId)?sort_by("title")?sort_by("order")>
</#function>

<#macro head title description root>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title?replace("<[^>]+>", "", "r")} · ${config.site_title}</title>
  <meta name="description" content="${description?html}">
  <link rel="stylesheet" href="${root}css/guide.css">
</head>
</#macro>

<#macro header root>
  <a class="skip-link" href="#main">Skip to content</a>
  <header class="site-header">
    <a class="site-title" href="${root}index.html">${config.site_title}</a>
  </header>
</#macro>

<#macro nav root current="">
  <nav class="site-nav" aria-label="Sections">
    <#list sections() as section>
      <#assign pages = pagesOf(section.id)>
      <#if pages?has_content>
      <h2>${section.title}</h2>
      <ul>
        <#list pages as p>
        <li><a href="${root}${p.uri}"<#if p.uri == current> aria-current="page"</#if>>${p.title}</a></li>
        </#list>
      </ul>
      </#if>
    </#list>
  </nav>
</#macro>
