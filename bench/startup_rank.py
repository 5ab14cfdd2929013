#!/usr/bin/env python3
"""Groups the startup steps that StartupCosts printed (one file per start) by what they build, and prints each
group's share of the main thread's own CPU time: the median over the files, then each file's share. Used by
bench/startup.sh; see BENCHMARKS.md ("Where the start goes")."""
import collections
import re
import statistics
import sys

rules=[
 ('Hibernate/JPA bootstrap, Spring Data repositories, the transaction manager', r'entityManagerFactory|jpaVendorAdapter|jpaMappingContext|persistenceManagedTypes|spring\.data\.repository|Repository |transactionManager|jpaContext|JpaRepositor'),
 ('configuration classes: parsing, conditions, component scan', r'config-classes|beandef-registry|internalConfigurationAnnotationProcessor'),
 ('Flyway', r'flyway'),
 ('Spring Security filter chains', r'[Ss]ecurity|FilterChain|httpSecurity'),
 ('Tomcat (web servers)', r'webserver|[Tt]omcat|ServletWebServer'),
 ('environment (config files, profiles)', r'environment-prepared'),
 ('proxy HTTP client (TLS context)', r'upstreamClient'),
 ('OpenFeign provider client', r'ProviderHttpClient|[Ff]eign'),
 ('OpenTelemetry', r'otel|[Oo]pen[Tt]elemetry|tracer|Tracing|span'),
 ('springdoc', r'springdoc|swagger|openApi|OpenApi'),
 ('Thymeleaf', r'thymeleaf|templateEngine|Thymeleaf'),
 ('Spring Session JDBC', r'sessionRepository|Session'),
 ('Micrometer/Actuator', r'meter|Meter|prometheus|observation|Observation|endpoint|Endpoint|health|Health|actuate'),
 ('Tink keyset', r'tokenCipher|keyset|Keyset'),
 ('Spring MVC', r'requestMapping|handler|Handler|mvc|Mvc|dispatcherServlet'),
 ('refresh itself (lifecycle start, singletons not timed)', r'^spring\.context\.refresh $'),
]
files=sys.argv[1:]
agg=collections.defaultdict(list); head=[]
for f in files:
  tot=0; cat=collections.Counter()
  for line in open(f):
    if line.startswith('TOTAL'): head.append(line.strip()); continue
    m=re.match(r'STEP ([\d.]+) ([\d.]+) (.*)$',line)
    if not m: continue
    self_=float(m.group(1)); name=m.group(3)
    tot+=self_
    for c,rx in rules:
      if re.search(rx,name): cat[c]+=self_; break
    else: cat['other beans and steps']+=self_
  for c,v in cat.items(): agg[c].append(100*v/tot)
  agg['_total_ms'].append(tot)
for h in head: print(h)
for c,v in sorted(agg.items(), key=lambda kv:-statistics.median(kv[1])):
  if c=='_total_ms': continue
  print(f"{statistics.median(v):5.1f} %  ({' '.join(f'{x:.1f}' for x in v)})  {c}")
print('main thread, own CPU time of all steps (ms):', [round(x) for x in agg['_total_ms']])
