{{%AUTOESCAPE context="HTML"}}<h1>Cari: {{QUERY}}</h1>
{{#REFUSED}}<p>{{MESSAGE}}</p>
{{/REFUSED}}{{#NONE}}<p>Tidak ada wilayah atau TPS yang cocok.</p>
{{/NONE}}{{#MATCHES}}<ul class="matches">
{{#MATCH}}<li><a href="{{HREF}}">{{NAME}}</a> <span class="small">{{LEVEL}}{{#HAS_PATH}}, {{PATH}}{{/HAS_PATH}}</span></li>
{{/MATCH}}</ul>
{{/MATCHES}}
