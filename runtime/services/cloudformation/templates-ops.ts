/**
 * Templates as the API reads them back: GetTemplate (the Original as submitted, or the
 * Processed form, of a stack or a change set), GetTemplateSummary and ValidateTemplate (the
 * parameters declared, the capabilities needed and why, the resource types). Both check the
 * template as processed (SAM expanded: its errors, the capabilities of the roles it creates).
 */
import type { CloudformationApi } from './api.generated.js';
import type { CfnDeps } from './language.js';
import { processTemplate, templateText } from './language.js';
import { findChangeSet } from './change-sets.js';
import { requireStack } from './records.js';
import type { PropertyValue } from './resources/resource-type.js';
import type { Template } from './template/index.js';
import { templateError } from './template/index.js';
import { checkResourceTypes, requiredCapability } from './validation.js';

function text(value: PropertyValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.map(String).join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function isNoEcho(value: PropertyValue | undefined): boolean {
  return value === true || value === 'true' || value === 'True';
}

function capabilityFields(template: Template) {
  const need = requiredCapability(template);
  return need ? { Capabilities: [need.capability], CapabilitiesReason: `The following resource(s) require capabilities: [${need.types.join(', ')}]` } : {};
}

function transforms(template: Template): string[] {
  return template.Transform === undefined ? [] : Array.isArray(template.Transform) ? [...template.Transform] : [template.Transform];
}

export function templateOperations(deps: CfnDeps) {
  /** The template text a summary or validation request names. */
  async function bodyOf(ctx: { accountId: string; region: string }, input: { TemplateBody?: string; TemplateURL?: string; StackName?: string }): Promise<string> {
    if (input.StackName !== undefined) return requireStack(deps.store.of(ctx), input.StackName).templateBody;
    return templateText(deps, ctx, input);
  }

  return {
    GetTemplate(ctx, input) {
      const state = deps.store.of(ctx);
      let original: string;
      let processed: string;
      if (input.ChangeSetName !== undefined) {
        const cs = findChangeSet(state, input.ChangeSetName, input.StackName);
        original = cs.templateBody;
        processed = cs.processedTemplate ?? cs.templateBody;
      } else {
        if (input.StackName === undefined) throw templateError('StackName or ChangeSetName must be specified.');
        const stack = requireStack(state, input.StackName);
        original = stack.templateBody;
        processed = stack.processedTemplate;
      }
      return { TemplateBody: input.TemplateStage === 'Processed' ? processed : original, StagesAvailable: ['Original', 'Processed'] };
    },

    async GetTemplateSummary(ctx, input) {
      const template = deps.language.parseTemplate(await bodyOf(ctx, input));
      // checked and summed up as processed (SAM expanded); the types listed are those the template declares
      const processed = await processTemplate(deps, ctx, template);
      await checkResourceTypes(deps, Object.values(processed.Resources ?? {}));
      const types: string[] = [];
      for (const r of Object.values(template.Resources ?? {})) if (!types.includes(r.Type)) types.push(r.Type);
      return {
        Parameters: Object.entries(template.Parameters ?? {}).map(([key, p]) => ({
          ParameterKey: key,
          ...(p['Default'] !== undefined ? { DefaultValue: text(p['Default']) } : {}),
          ParameterType: text(p['Type']) ?? 'String',
          NoEcho: isNoEcho(p['NoEcho']),
          ...(p['Description'] !== undefined ? { Description: text(p['Description']) } : {}),
          ParameterConstraints: Array.isArray(p['AllowedValues']) ? { AllowedValues: p['AllowedValues'].map(String) } : {},
        })),
        ...(template.Description !== undefined ? { Description: template.Description } : {}),
        ...capabilityFields(processed),
        ResourceTypes: types,
        Version: template.AWSTemplateFormatVersion ?? '2010-09-09',
        ...(template.Metadata !== undefined ? { Metadata: JSON.stringify(template.Metadata) } : {}),
        DeclaredTransforms: transforms(template),
      };
    },

    async ValidateTemplate(ctx, input) {
      const template = deps.language.parseTemplate(await templateText(deps, ctx, input));
      // validated as processed (SAM expanded: its errors, the IAM roles it generates)
      const processed = await processTemplate(deps, ctx, template);
      await checkResourceTypes(deps, Object.values(processed.Resources ?? {}));
      return {
        Parameters: Object.entries(template.Parameters ?? {}).map(([key, p]) => ({
          ParameterKey: key,
          ...(p['Default'] !== undefined ? { DefaultValue: text(p['Default']) } : {}),
          NoEcho: isNoEcho(p['NoEcho']),
          ...(p['Description'] !== undefined ? { Description: text(p['Description']) } : {}),
        })),
        ...(template.Description !== undefined ? { Description: template.Description } : {}),
        ...capabilityFields(processed),
        DeclaredTransforms: transforms(template),
      };
    },
  } satisfies Partial<CloudformationApi>;
}
