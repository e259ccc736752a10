{{%AUTOESCAPE context="HTML"}}<nav class="crumbs" aria-label="Jalur wilayah">{{#CRUMB}}<a href="{{HREF}}">{{NAME}}</a>{{#CRUMB_separator}} › {{/CRUMB_separator}}{{/CRUMB}}</nav>
