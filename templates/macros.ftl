<#-- Shared pieces of every page: head, header bar, navigation, breadcrumbs, previous/next, footer. -->
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

<#-- Every page in reading order: sections in topic-map order, pages by their order within a section. -->
<#function readingOrder>
  <#local all = []>
  <#list sections() as section>
    <#local all = all + pagesOf(section.id)>
  </#list>
  <#return all>
</#function>

<#function sectionTitle sectionId>
  <#list sections() as section>
    <#if section.id == sectionId><#return section.title></#if>
  </#list>
  <#return "">
</#function>

<#function plain text>
  <#return text?replace("<[^>]+>", "", "r")>
</#function>

<#macro head title description root uri="" type="website">
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="${config.site_csp}">
  <title>${plain(title)} · ${config.site_title}</title>
  <meta name="description" content="${description?html}">
  <link rel="canonical" href="${config.site_host}/${uri}">
  <meta property="og:type" content="${type}">
  <meta property="og:site_name" content="${config.site_title}">
  <meta property="og:title" content="${plain(title)?html}">
  <meta property="og:description" content="${description?html}">
  <meta property="og:url" content="${config.site_host}/${uri}">
  <meta name="color-scheme" content="light dark">
  <link rel="icon" href="${root}favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="${root}css/guide.css">
  <link rel="alternate" type="application/atom+xml" title="${config.site_title}" href="${root}feed.xml">
  <script src="${root}js/guide.js" defer></script>
</head>
</#macro>

<#macro header root contents=true>
  <a class="skip-link" href="#main">Skip to content</a>
  <header class="site-header">
    <a class="site-title" href="${root}index.html">${config.site_title}</a>
    <div class="search" id="search" data-index="${root}search-index.json" data-root="${root}" hidden>
      <label class="visually-hidden" for="search-input">Search the guide</label>
      <input id="search-input" type="text" enterkeyhint="search" placeholder="Search ( / )" autocomplete="off" spellcheck="false"
             role="combobox" aria-expanded="false" aria-controls="search-results" aria-autocomplete="list">
      <ul id="search-results" role="listbox" aria-label="Search results" hidden></ul>
      <p id="search-status" class="visually-hidden" role="status"></p>
    </div>
    <button type="button" class="theme-toggle" id="theme-toggle" hidden>Dark theme</button>
    <#if contents><a class="nav-jump" href="#site-nav">Contents</a></#if>
  </header>
</#macro>

<#macro nav root current="">
  <nav class="site-nav" id="site-nav" aria-label="Guide contents">
    <#list sections() as section>
      <#local pages = pagesOf(section.id)>
      <#if pages?has_content>
      <h2 id="nav-${section.id}">${section.title}</h2>
      <ul aria-labelledby="nav-${section.id}">
        <#list pages as p>
        <li><a href="${root}${p.uri}"<#if p.uri == current> aria-current="page"</#if>>${p.title}</a></li>
        </#list>
      </ul>
      </#if>
    </#list>
  </nav>
</#macro>

<#macro breadcrumbs root page>
  <nav class="breadcrumbs" aria-label="Breadcrumb">
    <ol>
      <li><a href="${root}index.html">Home</a></li>
      <#if sectionTitle(page.section!"")?has_content>
      <li><a href="${root}index.html#${page.section}">${sectionTitle(page.section)}</a></li>
      </#if>
      <li><a href="${root}${page.uri}" aria-current="page">${page.title}</a></li>
    </ol>
  </nav>
</#macro>

<#macro toc page>
  <#if (page.toc!"")?has_content>
  <nav class="toc" aria-labelledby="toc-title">
    <h2 id="toc-title">On this page</h2>
    ${page.toc}
  </nav>
  </#if>
</#macro>

<#macro pager root current>
  <#local all = readingOrder()>
  <#local at = -1>
  <#list all as p><#if p.uri == current><#local at = p?index></#if></#list>
  <#if at gte 0>
  <nav class="pager" aria-label="Previous and next page">
    <#if at gt 0><#local prev = all[at - 1]>
    <a class="prev" rel="prev" href="${root}${prev.uri}"><span>Previous</span> ${prev.title}</a>
    </#if>
    <#if at lt all?size - 1><#local next = all[at + 1]>
    <a class="next" rel="next" href="${root}${next.uri}"><span>Next</span> ${next.title}</a>
    </#if>
  </nav>
  </#if>
</#macro>

<#macro tags root page>
  <#if (page.tags![])?has_content>
  <p class="tags">Tags:
    <#list page.tags as tag><a href="${root}tags/${tag}.html">${tag}</a><#sep>, </#list>
  </p>
  </#if>
</#macro>

<#macro footer root>
  <footer class="site-footer">
    <p>Every example on this site compiled, ran and passed its tests when the site was built.
      <a href="${root}feed.xml">Atom feed</a> · <a href="${root}sitemap.xml">Sitemap</a></p>
  </footer>
</#macro>
