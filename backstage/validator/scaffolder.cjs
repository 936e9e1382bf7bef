// What Backstage's scaffolder does with a template, with Backstage's own packages:
//   node scaffolder.cjs validate   stdin: a Template entity (JSON)  stdout: {"valid": bool, "error": str}
//   node scaffolder.cjs entity     stdin: a System, Component, API or Location entity  stdout: the same
//   node scaffolder.cjs render     stdin: {"value": any, "context": {...}}  stdout: the rendered value
// Validation is @backstage/plugin-scaffolder-common's templateEntityV1beta3Validator (the entity
// envelope plus the official Template.v1beta3 JSON Schema); other entities use @backstage/catalog-model's
// validator for their kind. Rendering uses nunjucks with the
// scaffolder's ${{ }} delimiters; a string that is one whole expression keeps its JSON type (an
// object stays an object), as the scaffolder does; any other string is rendered as text.
'use strict';

const nunjucks = require('nunjucks');
const { templateEntityV1beta3Validator } = require('@backstage/plugin-scaffolder-common');
const catalogModel = require('@backstage/catalog-model');

const VALIDATORS = {
  Template: templateEntityV1beta3Validator,
  System: catalogModel.systemEntityV1alpha1Validator,
  Component: catalogModel.componentEntityV1alpha1Validator,
  API: catalogModel.apiEntityV1alpha1Validator,
  Location: catalogModel.locationEntityV1alpha1Validator,
};

const env = new nunjucks.Environment(null, {
  autoescape: false,
  throwOnUndefined: false,
  tags: { variableStart: '${{', variableEnd: '}}' },
});
const WHOLE = /^\s*\$\{\{([\s\S]+?)\}\}\s*$/;

function renderString(text, context) {
  const whole = text.match(WHOLE);
  if (whole && !whole[1].includes('${{')) {
    const dumped = env.renderString('${{ (' + whole[1] + ') | dump }}', context);
    return dumped === '' ? undefined : JSON.parse(dumped);
  }
  return env.renderString(text, context);
}

function render(value, context) {
  if (typeof value === 'string') return value.includes('${{') ? renderString(value, context) : value;
  if (Array.isArray(value)) return value.map((item) => render(item, context));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, context)]));
  }
  return value;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const command = process.argv[2];
  if (command === 'validate' || command === 'entity') {
    const validator = command === 'validate' ? templateEntityV1beta3Validator : VALIDATORS[input.kind];
    try {
      const valid = validator !== undefined && (await validator.check(input));
      process.stdout.write(JSON.stringify({ valid, error: valid ? '' : `not a known ${input.kind}` }));
    } catch (error) {
      process.stdout.write(JSON.stringify({ valid: false, error: String(error.message || error) }));
    }
  } else if (command === 'render') {
    process.stdout.write(JSON.stringify(render(input.value, input.context)));
  } else {
    process.stderr.write('usage: node scaffolder.cjs validate|entity|render < input.json\n');
    process.exitCode = 2;
  }
}

main().catch((error) => {
  process.stderr.write(String(error.stack || error) + '\n');
  process.exitCode = 1;
});
