// Types for the hook, so tests written in TypeScript can import it.
export declare const POLICY_KEY: string;
export declare const RUN_KEY: string;
export declare const RUN_VALUE_NAME: string;
export declare const DEPLOYMENT_PROPERTIES: ReadonlyArray<{
  property: string;
  valueName: string;
  componentGuid: string;
  hidden: boolean;
}>;
export declare function addKestrelDeployment(wxs: string): string;
export declare function msiProjectCreated(projectFile: string): Promise<void>;
export default msiProjectCreated;
