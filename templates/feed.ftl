<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${config.site_title}</title>
  <subtitle>${config.site_tagline?xml}</subtitle>
  <link rel="self" href="${config.site_host}/feed.xml"/>
  <link href="${config.site_host}/index.html"/>
  <id>${config.site_host}/</id>
  <updated>${config.site_updated}</updated>
  <author><name>${config.site_title} contributors</name></author>
<#list published_content?sort_by("uri") as page>
  <entry>
    <title>${page.title?replace("<[^>]+>", "", "r")?xml}</title>
    <link href="${config.site_host}/${page.uri}"/>
    <id>${config.site_host}/${page.uri}</id>
    <updated>${config.site_updated}</updated>
    <summary>${(page.description!"")?xml}</summary>
  </entry>
</#list>
</feed>
