// electron-builder `msiProjectCreated` hook: turns the generated WiX project into a deployable one.
//
//   msiexec /i kestrel-agent.msi SERVERURL=https://… ENROLMENTTOKEN=… /qn
//
// writes the two values to the Group Policy key the agent reads (HKLM\SOFTWARE\Policies\Kestrel\Agent,
// only those given) and an HKLM Run entry so the agent starts in every user session. The values are
// remembered across upgrades: an upgrade run without them keeps what the machine already has.
import { readFile, writeFile } from 'node:fs/promises';

const BEGIN = '<!-- kestrel:deployment:begin (added by build/windows/msi-project-hook.mjs) -->';
const END = '<!-- kestrel:deployment:end -->';
const GROUP_REF = '<ComponentGroupRef Id="KestrelDeployment"/>';

export const POLICY_KEY = 'SOFTWARE\\Policies\\Kestrel\\Agent';
export const RUN_KEY = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';
export const RUN_VALUE_NAME = 'KestrelAgent';

/**
 * Public MSI properties and the policy values they set. Component GUIDs are fixed forever: a
 * component's identity must not change between versions, or upgrades leave stale registry values.
 */
export const DEPLOYMENT_PROPERTIES = [
  {
    property: 'SERVERURL',
    valueName: 'ServerUrl',
    componentGuid: '{5E0C1B7A-2F43-4C8D-9A61-3B7E2D9C4F10}',
    hidden: false,
  },
  {
    property: 'ENROLMENTTOKEN',
    valueName: 'EnrolmentToken',
    componentGuid: '{A3D94F26-7B1E-4E05-8C2A-6F9B0D17E5C3}',
    hidden: true,
  },
];
const RUN_COMPONENT_GUID = '{C71F2E98-4A6D-4B3C-A5E0-92D8B61F07AE}';

function rememberedProperty({ property, valueName, hidden }) {
  const hiddenAttribute = hidden ? ' Hidden="yes"' : '';
  return `
    <Property Id="${property}" Secure="yes"${hiddenAttribute}>
      <RegistrySearch Id="Kestrel${valueName}Search" Root="HKLM" Key="${POLICY_KEY}" Name="${valueName}" Type="raw"/>
    </Property>
    <Property Id="KESTREL_CMDLINE_${property}" Secure="yes"${hiddenAttribute}/>
    <CustomAction Id="KestrelSaveCmdline${valueName}" Property="KESTREL_CMDLINE_${property}" Value="[${property}]" Execute="firstSequence"/>
    <CustomAction Id="KestrelRestoreCmdline${valueName}" Property="${property}" Value="[KESTREL_CMDLINE_${property}]" Execute="firstSequence"/>`;
}

function sequencing(tableName) {
  const rows = DEPLOYMENT_PROPERTIES.map(
    ({ property, valueName }) => `
      <Custom Action="KestrelSaveCmdline${valueName}" Before="AppSearch">${property}</Custom>
      <Custom Action="KestrelRestoreCmdline${valueName}" After="AppSearch">KESTREL_CMDLINE_${property}</Custom>`,
  ).join('');
  return `
    <${tableName}>${rows}
    </${tableName}>`;
}

function policyComponent({ property, valueName, componentGuid }) {
  return `
      <Component Id="KestrelPolicy${valueName}" Guid="${componentGuid}">
        <Condition>${property}</Condition>
        <RegistryValue Root="HKLM" Key="${POLICY_KEY}" Name="${valueName}" Type="string" Value="[${property}]" KeyPath="yes"/>
      </Component>`;
}

function deploymentBlock() {
  return `    ${BEGIN}
    <!-- Public properties, remembered across upgrades: AppSearch reads the current policy value,
         and a value given on the command line wins over it. -->${DEPLOYMENT_PROPERTIES.map(rememberedProperty).join('')}
${sequencing('InstallUISequence')}
${sequencing('InstallExecuteSequence')}

    <ComponentGroup Id="KestrelDeployment" Directory="APPLICATIONFOLDER">${DEPLOYMENT_PROPERTIES.map(policyComponent).join('')}
      <!-- Starts the agent in every user session on this machine. -->
      <Component Id="KestrelRunAtLogon" Guid="${RUN_COMPONENT_GUID}">
        <RegistryValue Root="HKLM" Key="${RUN_KEY}" Name="${RUN_VALUE_NAME}" Type="string" Value="&quot;[#mainExecutable]&quot;" KeyPath="yes"/>
      </Component>
    </ComponentGroup>
    ${END}
`;
}

function countOf(text, needle) {
  return text.split(needle).length - 1;
}

/**
 * Adds the deployment properties, policy values and Run entry to a WiX project. Idempotent: a
 * project that already has them gets them replaced, not doubled. Throws on a project it does not
 * recognise, so a changed electron-builder template fails the build instead of shipping an MSI
 * that silently ignores SERVERURL.
 */
export function addKestrelDeployment(wxs) {
  let project = wxs;
  const begin = project.indexOf(BEGIN);
  if (begin !== -1) {
    const end = project.indexOf(END, begin);
    if (end === -1) throw new Error('msi-project-hook: an unterminated Kestrel block is in the project');
    const lineStart = project.lastIndexOf('\n', begin) + 1;
    const lineEnd = project.indexOf('\n', end);
    project = project.slice(0, lineStart) + project.slice(lineEnd === -1 ? project.length : lineEnd + 1);
    project = project.replaceAll(`\n      ${GROUP_REF}`, '');
  }
  if (countOf(project, '</Product>') !== 1)
    throw new Error('msi-project-hook: expected exactly one <Product> in the WiX project');
  const featureRef = '<ComponentGroupRef Id="ProductComponents"/>';
  if (countOf(project, featureRef) !== 1)
    throw new Error('msi-project-hook: expected the ProductComponents reference in the main feature');
  if (!project.includes('Id="mainExecutable"'))
    throw new Error('msi-project-hook: the main executable (Id="mainExecutable") is missing');
  for (const { property } of DEPLOYMENT_PROPERTIES) {
    if (new RegExp(`<Property Id="${property}"`).test(project))
      throw new Error(`msi-project-hook: ${property} is already defined`);
  }

  project = project.replace(featureRef, `${featureRef}\n      ${GROUP_REF}`);
  const close = project.lastIndexOf('  </Product>');
  const at = close === -1 ? project.lastIndexOf('</Product>') : close;
  return project.slice(0, at) + deploymentBlock() + project.slice(at);
}

/** The hook electron-builder calls with the path of the generated `.wxs`, before WiX compiles it. */
export async function msiProjectCreated(projectFile) {
  const wxs = await readFile(projectFile, 'utf8');
  await writeFile(projectFile, addKestrelDeployment(wxs));
}

export default msiProjectCreated;
