<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>${config.site_host}/index.html</loc></url>
<#list published_content?sort_by("uri") as page>
  <url><loc>${config.site_host}/${page.uri}</loc></url>
</#list>
</urlset>
