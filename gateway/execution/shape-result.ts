/**
 * Shaping the result, once per request: as @apollo/gateway's resultShaping computeResponse, for the shapes
 * compile-shape.ts accepted; anything it would report as an error gives way to it.
 */
import { GiveWay, isPlainObject, type DataObject, type ObjectShape, type ValueShape } from './compiled-plan.ts';

export function shapeObject(input: DataObject, shape: ObjectShape): DataObject {
  // A plain object, not one without prototype: V8 keeps those in dictionary mode, several times slower to
  // build and to stringify into the answer. No key is "__proto__" (compile-shape.ts refuses any "__" but
  // __typename).
  const output: DataObject = {};
  for (const field of shape.fields) {
    const given = Object.hasOwn(input, field.key) ? input[field.key] : undefined;
    if (field.typename) {
      const typename = given ?? (field.key === '__typename' ? undefined : input.__typename) ?? shape.typeName;
      if (typename !== shape.typeName) throw new GiveWay('invalid_value');
      output[field.key] = typename;
    } else {
      output[field.key] = shapeValue(given ?? null, field.value);
    }
  }
  return output;
}

function shapeValue(value: unknown, shape: ValueShape): unknown {
  // Null in a non-null field, a value of the wrong kind: the gateway reports them (and nulls the parent).
  if (value === null) {
    if (shape.nonNull) throw new GiveWay('invalid_value');
    return null;
  }
  if (shape.list) {
    if (!Array.isArray(value)) throw new GiveWay('invalid_value');
    const output = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) output[i] = shapeValue(value[i] ?? null, shape.list);
    return output;
  }
  if (shape.object) {
    if (!isPlainObject(value)) throw new GiveWay('invalid_value');
    const typename = value.__typename;
    if (typename !== undefined && typename !== shape.object.typeName) throw new GiveWay('invalid_value');
    return shapeObject(value, shape.object);
  }
  if (shape.objectOfType) {
    // The gateway's query plans fetch `__typename` of every interface and union value; a value without
    // one, or of a type the API schema does not show, is the gateway's to report.
    const object = isPlainObject(value) && typeof value.__typename === 'string' ? shape.objectOfType.get(value.__typename) : undefined;
    if (!object) throw new GiveWay('invalid_value');
    return shapeObject(value as DataObject, object);
  }
  if (!shape.accepts!(value)) throw new GiveWay('invalid_value');
  return value;
}
