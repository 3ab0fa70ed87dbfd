'use strict';
/**
 * JSON Schemas of what each route answers, read from the TypeScript types its handler is declared
 * to return (the wire types of libs/contracts, interfaces the runtime cannot see). Named object
 * types become components referenced by name; unions of literals become enums; `undefined` makes a
 * property optional and `null` nullable; Maps, functions and whatever has no JSON form become `{}`.
 */
const ts = require('typescript');

const HTTP_DECORATORS = new Set([
  'Get',
  'Post',
  'Put',
  'Patch',
  'Delete',
  'Head',
  'Options',
  'All',
]);
const MAX_DEPTH = 12;

const decoratorNames = (node) =>
  (ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : []).map((d) =>
    ts.isCallExpression(d.expression) ? d.expression.expression.getText() : d.expression.getText(),
  );

/** A component's name: the type's own, with its type arguments spelled in (`Page_Entry`). */
function nameOf(checker, type) {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const name = symbol?.getName();
  if (!name || name.startsWith('__')) return null;
  const args = type.aliasTypeArguments ?? (type.target ? checker.getTypeArguments(type) : []);
  return [name, ...args.map((a) => nameOf(checker, a) ?? checker.typeToString(a))]
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '');
}

class SchemaReader {
  constructor(checker) {
    this.checker = checker;
    this.components = {};
  }

  schema(type, depth = 0) {
    const c = this.checker;
    const flags = type.getFlags();
    if (depth > MAX_DEPTH) return {};
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (flags & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [type.value] };
    if (flags & ts.TypeFlags.NumberLiteral) return { type: 'number', enum: [type.value] };
    if (flags & ts.TypeFlags.BooleanLiteral)
      return { type: 'boolean', enum: [c.typeToString(type) === 'true'] };
    if (flags & ts.TypeFlags.StringLike) return { type: 'string' };
    if (flags & ts.TypeFlags.NumberLike) return { type: 'number' };
    if (flags & ts.TypeFlags.BooleanLike) return { type: 'boolean' };
    if (flags & ts.TypeFlags.Null) return { nullable: true };
    if (type.isUnion()) return this.union(type, depth);
    if (c.isArrayType(type) || c.isTupleType(type)) {
      const [item] = c.getTypeArguments(type);
      return { type: 'array', items: item ? this.schema(item, depth + 1) : {} };
    }
    if (flags & ts.TypeFlags.Object || type.isIntersection()) return this.object(type, depth);
    return {};
  }

  union(type, depth) {
    const parts = type.types.filter((t) => !(t.getFlags() & ts.TypeFlags.Undefined));
    const nullable = parts.some((t) => t.getFlags() & ts.TypeFlags.Null);
    const rest = parts.filter((t) => !(t.getFlags() & ts.TypeFlags.Null));
    const schemas = rest.map((t) => this.schema(t, depth + 1));
    let out;
    if (schemas.length === 1) out = schemas[0];
    else if (schemas.length && schemas.every((s) => s.enum && s.type === schemas[0].type))
      out = { type: schemas[0].type, enum: [...new Set(schemas.flatMap((s) => s.enum))] };
    else out = { anyOf: schemas };
    return nullable ? { ...out, nullable: true } : out;
  }

  object(type, depth) {
    const c = this.checker;
    const symbolName = type.getSymbol()?.getName();
    if (symbolName === 'Date') return { type: 'string', format: 'date-time' };
    if (
      ['Map', 'Set', 'Function', 'Promise'].includes(symbolName) ||
      type.getCallSignatures().length
    )
      return {};
    // A library's own types (the OpenAPI document itself) are not ours to spell out.
    const decls = type.getSymbol()?.getDeclarations() ?? [];
    if (decls.length && decls.every((d) => d.getSourceFile().fileName.includes('/node_modules/')))
      return { type: 'object' };
    const name = nameOf(c, type);
    if (name && this.components[name]) return { $ref: `#/components/schemas/${name}` };
    if (name) this.components[name] = {};
    const properties = {};
    const required = [];
    for (const prop of c.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      const propType = decl ? c.getTypeOfSymbolAtLocation(prop, decl) : c.getTypeOfSymbol(prop);
      const optional = (prop.getFlags() & ts.SymbolFlags.Optional) !== 0;
      properties[prop.getName()] = this.schema(propType, depth + 1);
      const doc = ts.displayPartsToString(prop.getDocumentationComment(c));
      if (doc) properties[prop.getName()].description = doc;
      if (!optional) required.push(prop.getName());
    }
    const index = c.getIndexTypeOfType(type, ts.IndexKind.String);
    const schema = {
      type: 'object',
      ...(Object.keys(properties).length ? { properties } : {}),
      ...(required.length ? { required } : {}),
      ...(index ? { additionalProperties: this.schema(index, depth + 1) } : {}),
    };
    if (!name) return schema;
    this.components[name] = schema;
    return { $ref: `#/components/schemas/${name}` };
  }
}

/** `{ responses: { 'Controller.method': schema }, schemas: { Name: schema } }` over every controller. */
function contractSchemas(program, srcDir) {
  const checker = program.getTypeChecker();
  const reader = new SchemaReader(checker);
  const responses = {};
  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.startsWith(srcDir) || !sf.fileName.endsWith('.controller.ts')) continue;
    ts.forEachChild(sf, function visit(node) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      if (!decoratorNames(node).includes('Controller')) return;
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member) || !member.name) continue;
        if (!decoratorNames(member).some((d) => HTTP_DECORATORS.has(d))) continue;
        const signature = checker.getSignatureFromDeclaration(member);
        let type = signature && checker.getReturnTypeOfSignature(signature);
        if (type && type.getSymbol()?.getName() === 'Promise')
          [type] = checker.getTypeArguments(type);
        if (!type || type.getFlags() & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) continue;
        const schema = reader.schema(type);
        if (Object.keys(schema).length)
          responses[`${node.name.text}.${member.name.getText()}`] = schema;
      }
    });
  }
  const schemas = Object.fromEntries(
    Object.entries(reader.components).sort(([a], [b]) => a.localeCompare(b)),
  );
  return { responses, schemas };
}

module.exports = { contractSchemas };
